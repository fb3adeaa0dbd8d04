import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  describeChanges,
  modelLocatorSchema,
  rolloutOperationSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { callBackend, InferenceActionDeps, tokenFor } from './backend';
import { examples } from './rolloutModel.examples';

/**
 * `inference:model:rollout`: starts a canary of a new version of a Knative-mode model, changes
 * its share, promotes it or rolls it back, as the user who runs the template. The backend's
 * rollout service does the work, the same one the model page and the agent actions use.
 * @public
 */
export function rolloutModelAction(deps: InferenceActionDeps) {
  return createTemplateAction({
    id: 'inference:model:rollout',
    description:
      'Rolls a new version of a Knative-mode model out as a canary, changes its share of traffic, promotes it or rolls it back, via the inference backend, on behalf of the user who runs the template',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        model: () => modelLocatorSchema,
        operation: () =>
          rolloutOperationSchema.describe(
            '{ action: "start", version: { storageUri, …, canaryTrafficPercent, autoRollback?: { errorRatePercent, window, minRequests } } }, { action: "traffic", canaryTrafficPercent }, { action: "promote" } or { action: "rollback" }',
          ),
      },
      output: {
        phase: z =>
          z
            .string()
            .describe(
              'The rollout phase after the operation: stable, progressing, canary, failed or rolledBack',
            ),
        explanation: z => z.string(),
        changes: z =>
          z
            .array(z.string())
            .describe('What was (or, in a dry run, would be) changed'),
      },
    },
    async handler(ctx) {
      const { model, operation } = ctx.input;
      const token = await tokenFor(
        deps.auth,
        await ctx.getInitiatorCredentials(),
      );
      const what = `Rollout '${operation.action}' of model '${model.name}' in ${model.namespace}`;
      const dryRun = ctx.isDryRun ?? false;
      const run = async () => {
        const answer = await callBackend(what, () =>
          deps.api.changeRollout(model, operation, {
            token,
            ...(dryRun ? { dryRun } : {}),
          }),
        );
        return {
          phase: answer.rollout.phase,
          explanation: answer.rollout.explanation,
          changes: describeChanges(
            answer.changes.filter(c => c.action !== 'unchanged'),
          ),
        };
      };
      // A retried task must not apply the same operation twice (a second start would be a new
      // rollout); a dry run writes nothing and needs no checkpoint.
      const result = dryRun
        ? await run()
        : await ctx.checkpoint({
            key: `inference-model-rollout-${model.cluster}-${model.namespace}-${
              model.name
            }-${JSON.stringify(operation)}`,
            fn: run,
          });
      ctx.logger.info(
        dryRun
          ? `Dry run, nothing was changed. Would ${
              result.changes.join('; ') || 'change nothing'
            }`
          : `${what}: ${result.explanation}`,
      );
      ctx.output('phase', result.phase);
      ctx.output('explanation', result.explanation);
      ctx.output('changes', result.changes);
    },
  });
}

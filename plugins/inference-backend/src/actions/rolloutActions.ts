import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { z } from 'zod/v3';
import {
  describeChanges,
  ModelLocator,
  rolloutOperationSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { CallContext } from '../requestContext';
import type { RolloutService } from '../rollouts/RolloutService';
import { rolloutOutput } from './actionOutputs';

/**
 * The rollout actions for AI agents: the same RolloutService the portal's routes and (through
 * the API) the scaffolder action use. Changing a rollout defaults to a dry run, so an agent shows
 * the plan to its user before it asks again with `dryRun: false`.
 */
export function registerRolloutActions(deps: {
  registry: ActionsRegistryService;
  rollouts: RolloutService;
  context: (credentials: BackstageCredentials, name: string) => CallContext;
  /** The model input, its cluster defaulted as in the other actions. */
  model: () => z.ZodType<ModelLocator, z.ZodTypeDef, unknown>;
}) {
  const { registry, rollouts, context, model } = deps;

  registry.register({
    name: 'get-rollout',
    title: "Get a model's rollout",
    description:
      'Where rolling out a new version of a model stands: the phase (stable, progressing, canary, failed, rolledBack), the serving and the new revision with their share of traffic and readiness, and why a new version is not Ready.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({ model: model() }).strict(),
      output: z => z.object({ rollout: rolloutOutput(z) }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        rollout: await rollouts.status(
          context(credentials, 'get-rollout'),
          input.model,
        ),
      },
    }),
  });

  registry.register({
    name: 'change-rollout',
    title: "Change a model's rollout",
    description:
      'Rolls a new version of a Knative-mode model out as a canary (action "start" with the changed storageUri, framework, image, args or resources and canaryTrafficPercent 1-99, and optionally autoRollback { errorRatePercent 1-100, window "1m" | "5m" | "15m", minRequests } to have the portal roll it back when its error rate exceeds the threshold, which needs usage to be configured), changes its share ("traffic"), promotes it to all traffic ("promote") or rolls back to the previous version ("rollback"). dryRun defaults to true: show the planned changes to the user, then call again with dryRun false.',
    attributes: { destructive: false, idempotent: false },
    schema: {
      input: z =>
        z
          .object({
            model: model(),
            operation: rolloutOperationSchema,
            dryRun: z
              .boolean()
              .default(true)
              .describe('Plan only (the default); false applies'),
          })
          .strict(),
      output: z =>
        z.object({
          dryRun: z.boolean(),
          changes: z.array(z.string()),
          rollout: rolloutOutput(z),
        }),
    },
    examples: [
      {
        title: 'Plan a canary of a new model file at 20 %',
        input: {
          model: { cluster: 'local', namespace: 'tenant-a', name: 'iris' },
          operation: {
            action: 'start',
            version: {
              storageUri: 'gs://models/iris/v2',
              canaryTrafficPercent: 20,
            },
          },
          dryRun: true,
        },
      },
      {
        title:
          'Plan a canary at 10 % that is rolled back when over 5 % of its requests fail in 5 minutes',
        input: {
          model: { cluster: 'local', namespace: 'tenant-a', name: 'iris' },
          operation: {
            action: 'start',
            version: {
              storageUri: 'gs://models/iris/v3',
              canaryTrafficPercent: 10,
              autoRollback: {
                errorRatePercent: 5,
                window: '5m',
                minRequests: 20,
              },
            },
          },
          dryRun: true,
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const result = await rollouts.change(
        context(credentials, 'change-rollout'),
        input.model,
        input.operation,
        { dryRun: input.dryRun },
      );
      return {
        output: {
          dryRun: result.dryRun,
          changes: describeChanges(
            result.changes.filter(c => c.action !== 'unchanged'),
          ),
          rollout: result.rollout,
        },
      };
    },
  });
}

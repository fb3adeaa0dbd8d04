import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import {
  describeChanges,
  formatZodError,
  modelLocatorSchema,
  PublishRequest,
  publishRequestSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { callBackend, InferenceActionDeps, tokenFor } from './backend';
import { examples } from './publishModel.examples';

/**
 * `inference:model:publish`: publishes a model through the platform gateway (route, API-key auth,
 * rate limits), as the user who runs the template. It creates no API key: keys are shown once,
 * on the model's page, and never pass through a task's log or output.
 * @public
 */
export function publishModelAction(deps: InferenceActionDeps) {
  return createTemplateAction({
    id: 'inference:model:publish',
    description:
      'Publishes a model through the platform gateway (API-key auth, rate limits) via the inference backend, on behalf of the user who runs the template',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        model: () => modelLocatorSchema,
        publication: () =>
          publishRequestSchema.describe(
            'What to publish: publicModelName, optional hostname, auth ({ apiKey: true, jwt }), limits',
          ),
      },
      output: {
        endpoint: z => z.string().describe('The URL clients call'),
        publicModelName: z => z.string(),
        changes: z =>
          z
            .array(z.string())
            .describe('What was (or, in a dry run, would be) changed'),
      },
    },
    async handler(ctx) {
      const { model } = ctx.input;
      const token = await tokenFor(
        deps.auth,
        await ctx.getInitiatorCredentials(),
      );
      const request: PublishRequest = ctx.input.publication;
      const what = `Publishing model '${model.name}' in ${model.namespace}`;

      if (ctx.isDryRun) {
        try {
          const preview = await callBackend(what, () =>
            deps.api.publish(model, request, { token, dryRun: true }),
          );
          ctx.logger.info(
            `Dry run, nothing was published. Would ${describeChanges(
              preview.changes,
            ).join('; ')}`,
          );
          ctx.output('changes', describeChanges(preview.changes));
        } catch (error) {
          if ((error as Error).name !== 'NotFoundError') throw error;
          // The model itself was only previewed (its creation is a dry run too): check the request.
          const parsed = publishRequestSchema.safeParse(request);
          if (!parsed.success) {
            throw new InputError(
              `${what}: ${formatZodError(parsed.error)
                .map(f => `publication.${f.field}: ${f.message}`)
                .join('; ')}`,
            );
          }
          ctx.logger.info(
            `Dry run: model '${model.name}' does not exist yet; the publication request is valid`,
          );
        }
        return;
      }

      const published = await ctx.checkpoint({
        key: `inference-model-publish-${model.cluster}-${model.namespace}-${model.name}`,
        fn: async () => {
          const result = await callBackend(what, () =>
            deps.api.publish(model, request, { token }),
          );
          if (!result.publication) {
            throw new Error(`${what}: the backend reported no publication`);
          }
          return {
            endpoint: result.publication.endpoint,
            publicModelName: result.publication.publicModelName,
            changes: describeChanges(result.changes),
          };
        },
      });
      ctx.logger.info(
        `Published at ${published.endpoint} as '${published.publicModelName}'`,
      );
      ctx.output('endpoint', published.endpoint);
      ctx.output('publicModelName', published.publicModelName);
      ctx.output('changes', published.changes);
    },
  });
}

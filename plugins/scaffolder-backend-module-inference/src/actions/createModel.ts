import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  describeChanges,
  ModelSpecInput,
  modelSpecSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  callBackend,
  InferenceActionDeps,
  resolveTenant,
  tokenFor,
} from './backend';
import { examples } from './createModel.examples';

/**
 * `inference:model:create`: creates a model (KServe InferenceService) in one of the user's
 * tenants through the inference backend, as that user. In a dry run the backend validates and
 * previews it against the cluster, and nothing is created.
 * @public
 */
export function createModelAction(deps: InferenceActionDeps) {
  return createTemplateAction({
    id: 'inference:model:create',
    description:
      'Creates a model (KServe InferenceService) in a tenant namespace through the inference backend, on behalf of the user who runs the template',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        tenant: z =>
          z
            .string({
              description:
                'The tenant group, as an entity ref (group:default/tenant-a) or a name; the user must be allowed to deploy there',
            })
            .min(1),
        spec: () =>
          modelSpecSchema.describe(
            'The model, as the inference API takes it: name, framework, storageUri (or image), scaling, resources',
          ),
      },
      output: {
        model: z =>
          z
            .object({
              cluster: z.string(),
              namespace: z.string(),
              name: z.string(),
            })
            .describe(
              'Where the model lives: the input of inference:model:publish',
            ),
        tenant: z => z.string().describe('Entity ref of the tenant group'),
        changes: z =>
          z
            .array(z.string())
            .describe('What was (or, in a dry run, would be) changed'),
      },
    },
    async handler(ctx) {
      const token = await tokenFor(
        deps.auth,
        await ctx.getInitiatorCredentials(),
      );
      const tenant = await resolveTenant(deps.api, ctx.input.tenant, token);
      // The scaffolder checks the input against the schema's JSON form only; defaults and the
      // cross-field rules are applied by the backend, which is the authority on a valid model.
      const spec: ModelSpecInput = ctx.input.spec;
      const target = {
        cluster: tenant.cluster,
        namespace: tenant.namespace,
        spec,
      };
      const what = `Creating model '${spec.name}' in ${tenant.name}`;

      const changes = ctx.isDryRun
        ? describeChanges(
            (
              await callBackend(what, () =>
                deps.api.createModel(target, { token, dryRun: true }),
              )
            ).changes,
          )
        : // A task resumed after a restart replays the recorded result instead of creating twice.
          await ctx.checkpoint({
            key: `inference-model-create-${tenant.cluster}-${tenant.namespace}-${spec.name}`,
            fn: async () =>
              describeChanges(
                (
                  await callBackend(what, () =>
                    deps.api.createModel(target, { token }),
                  )
                ).changes,
              ),
          });

      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry run, nothing was created. Would ' : ''}${
          changes.join('; ') || 'no change'
        }`,
      );
      ctx.output('model', {
        cluster: tenant.cluster,
        namespace: tenant.namespace,
        name: spec.name,
      });
      ctx.output('tenant', tenant.ref);
      ctx.output('changes', changes);
    },
  });
}

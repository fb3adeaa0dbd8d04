import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_INFERENCE_SERVICE,
  ANNOTATION_NAMESPACE,
  MODEL_ENTITY_FILTER,
  modelLocatorSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { examples } from './awaitModelEntity.examples';

/**
 * What the `inference:model:awaitEntity` action needs: the catalog, and how often to look in it.
 * @public
 */
export interface AwaitModelEntityDeps {
  catalog: CatalogService;
  /** How often to look; default 2 s. */
  pollIntervalMs?: number;
}

type Locator = { cluster: string; namespace: string; name: string };

/** The entity of `kind` that stands for the model (declared in YAML or emitted by the provider). */
async function findEntity(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  filter: Record<string, string>,
  model: Locator,
): Promise<Entity | undefined> {
  const { items } = await catalog.getEntities(
    {
      filter: {
        ...filter,
        [`metadata.annotations.${ANNOTATION_NAMESPACE}`]: model.namespace,
        [`metadata.annotations.${ANNOTATION_INFERENCE_SERVICE}`]: model.name,
      },
    },
    { credentials },
  );
  // An entity without a cluster annotation is on the default cluster; one that names a cluster must name this one.
  const candidates = items.filter(e => {
    const cluster = e.metadata.annotations?.[ANNOTATION_CLUSTER];
    return cluster === undefined || cluster === model.cluster;
  });
  return (
    candidates.find(
      e => e.metadata.annotations?.[ANNOTATION_CLUSTER] === model.cluster,
    ) ?? candidates[0]
  );
}

/**
 * `inference:model:awaitEntity`: waits until the catalog lists the model (and its API, when
 * published) and outputs their entity refs, for the template's links. The catalog's inference
 * provider emits them right after the portal's change, so this usually takes a few seconds.
 * @public
 */
export function awaitModelEntityAction(deps: AwaitModelEntityDeps) {
  const pollIntervalMs = deps.pollIntervalMs ?? 2_000;
  return createTemplateAction({
    id: 'inference:model:awaitEntity',
    description:
      'Waits until the catalog lists a model created or published by the inference actions, and outputs its entity ref',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        model: () => modelLocatorSchema,
        published: z =>
          z
            .boolean({
              description: 'Also wait for the API entity of its publication',
            })
            .optional(),
        timeoutSeconds: z =>
          z
            .number({
              description:
                'How long to wait; default 300 (one scheduled catalog sync)',
            })
            .int()
            .min(1)
            .max(900)
            .optional(),
      },
      output: {
        entityRef: z =>
          z.string().describe('Entity ref of the model Component'),
        apiEntityRef: z =>
          z
            .string()
            .optional()
            .describe('Entity ref of its API, when published'),
      },
    },
    async handler(ctx) {
      const { model } = ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          'Dry run: no model was created, so there is no entity to wait for',
        );
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const deadline = Date.now() + (ctx.input.timeoutSeconds ?? 300) * 1000;
      let component: Entity | undefined;
      let api: Entity | undefined;
      for (;;) {
        component ??= await findEntity(
          deps.catalog,
          credentials,
          { ...MODEL_ENTITY_FILTER },
          model,
        );
        if (ctx.input.published) {
          api ??= await findEntity(
            deps.catalog,
            credentials,
            { kind: 'API' },
            model,
          );
        }
        if (component && (api || !ctx.input.published)) break;
        if (Date.now() >= deadline || ctx.signal?.aborted) {
          throw new Error(
            `Model '${model.name}' exists in ${
              model.namespace
            }, but the catalog has not listed its ${
              component ? 'API' : 'entity'
            } yet; it will appear after the next catalog sync`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, pollIntervalMs));
      }
      ctx.logger.info(`In the catalog as ${stringifyEntityRef(component)}`);
      ctx.output('entityRef', stringifyEntityRef(component));
      if (api) ctx.output('apiEntityRef', stringifyEntityRef(api));
    },
  });
}

import type { Entity } from '@backstage/catalog-model';
import type { ModelLocator } from './api/types';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_FRAMEWORK,
  ANNOTATION_INFERENCE_SERVICE,
  ANNOTATION_MODEL_TYPE,
  ANNOTATION_NAMESPACE,
} from './annotations';

/**
 * Models are Components of this spec.type. Moving to upstream Backstage's `API` kind with
 * `spec.type: ai-model-server` later means changing these two constants only.
 * @public
 */
export const MODEL_ENTITY_KIND = 'Component';
/** @public */
export const MODEL_ENTITY_TYPE = 'model';
/** Tenants are Groups of this spec.type. @public */
export const TENANT_GROUP_TYPE = 'tenant';

/** Catalog filter selecting model entities, for `CatalogApi.getEntities({ filter })`. @public */
export const MODEL_ENTITY_FILTER = {
  kind: MODEL_ENTITY_KIND,
  'spec.type': MODEL_ENTITY_TYPE,
} as const;

/** Catalog filter selecting tenant groups. @public */
export const TENANT_ENTITY_FILTER = {
  kind: 'Group',
  'spec.type': TENANT_GROUP_TYPE,
} as const;

/** The two kinds of model the platform serves differently. @public */
export const MODEL_TYPES = ['openai', 'predictive'] as const;
/** @public */
export type ModelType = (typeof MODEL_TYPES)[number];

/** True for the catalog entities the inference plugins treat as models. @public */
export function isModelEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') ===
      MODEL_ENTITY_KIND.toLocaleLowerCase('en-US') &&
    (entity.spec as { type?: unknown } | undefined)?.type === MODEL_ENTITY_TYPE
  );
}

/** True for tenant groups. @public */
export function isTenantEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'group' &&
    (entity.spec as { type?: unknown } | undefined)?.type === TENANT_GROUP_TYPE
  );
}

/** What a model entity's annotations say about the model it describes. @public */
export interface ModelEntityAnnotations {
  /** Where its InferenceService lives; the cluster only when the entity names one. */
  locator: Omit<ModelLocator, 'cluster'> & { cluster?: string };
  framework?: string;
  modelType?: ModelType;
}

/** Reads a model entity's annotations; undefined when namespace or InferenceService is missing. @public */
export function readModelEntityAnnotations(
  entity: Entity,
): ModelEntityAnnotations | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[ANNOTATION_NAMESPACE];
  const name = annotations[ANNOTATION_INFERENCE_SERVICE];
  if (!namespace || !name) {
    return undefined;
  }
  const modelType = annotations[ANNOTATION_MODEL_TYPE];
  return {
    locator: { cluster: annotations[ANNOTATION_CLUSTER], namespace, name },
    framework: annotations[ANNOTATION_FRAMEWORK],
    modelType: (MODEL_TYPES as readonly string[]).includes(modelType ?? '')
      ? (modelType as ModelType)
      : undefined,
  };
}

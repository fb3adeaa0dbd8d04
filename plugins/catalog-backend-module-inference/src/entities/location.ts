import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';

/**
 * Location type of the entities this provider emits: `inference-service:<cluster>/<namespace>/<name>`.
 * It names the object the entity comes from, and tells the provider's own entities apart from
 * ones declared in YAML (whose locations are `file:` or `url:`).
 */
export const LOCATION_TYPE = 'inference-service';

export function locationAnnotations(modelKey: string): Record<string, string> {
  const location = `${LOCATION_TYPE}:${modelKey}`;
  return {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
}

/** True for entities this provider emitted. */
export function isProvidedEntity(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.[ANNOTATION_LOCATION]?.startsWith(
      `${LOCATION_TYPE}:`,
    ) ?? false
  );
}

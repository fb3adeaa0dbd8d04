import { LOOSE_OBJECT, STRING_MAP, STRING_SET } from '../schema/commonSchemas';
import { JsonSchemaProps } from '../schema/types';

/**
 * Schema lookups that merging and field ownership need: the schema of a
 * child field, of list items, and how a list or map merges.
 */

/** How `metadata` merges; the CRD schemas leave it to the API server. */
const METADATA_SCHEMA: JsonSchemaProps = {
  type: 'object',
  properties: {
    labels: STRING_MAP,
    annotations: STRING_MAP,
    finalizers: STRING_SET,
    ownerReferences: {
      type: 'array',
      items: LOOSE_OBJECT,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
    },
  },
};

/** The root schema with the server's own `metadata` merge rules. */
export function mergeSchemaFor(
  root: JsonSchemaProps | undefined,
): JsonSchemaProps {
  return {
    ...(root ?? LOOSE_OBJECT),
    properties: { ...(root?.properties ?? {}), metadata: METADATA_SCHEMA },
  };
}

export function childSchema(
  schema: JsonSchemaProps | undefined,
  key: string,
): JsonSchemaProps | undefined {
  if (!schema) return undefined;
  const property = schema.properties?.[key];
  if (property) return property;
  return typeof schema.additionalProperties === 'object'
    ? schema.additionalProperties
    : undefined;
}

export type ListType = 'atomic' | 'set' | 'map';

export function listTypeOf(schema: JsonSchemaProps | undefined): ListType {
  const declared = schema?.['x-kubernetes-list-type'];
  if (
    declared === 'map' &&
    (schema?.['x-kubernetes-list-map-keys'] ?? []).length > 0
  ) {
    return 'map';
  }
  return declared === 'set' ? 'set' : 'atomic';
}

export function listMapKeys(schema: JsonSchemaProps | undefined): string[] {
  return [...(schema?.['x-kubernetes-list-map-keys'] ?? [])].sort();
}

/** Maps are granular unless declared atomic. */
export function isAtomicMap(schema: JsonSchemaProps | undefined): boolean {
  return schema?.['x-kubernetes-map-type'] === 'atomic';
}

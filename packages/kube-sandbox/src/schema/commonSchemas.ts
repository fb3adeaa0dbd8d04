import { JsonSchemaProps } from './types';

/**
 * Schema pieces shared by the hand-written schemas: the OpenAPI ObjectMeta
 * and the `metadata` merge rules of server-side apply (the built-in kinds'
 * schemas come from builtin/kubernetesModels.ts).
 * They are shared objects: build new schemas around them, never change them.
 */

/** A map of strings, like `metadata.labels`. */
export const STRING_MAP: JsonSchemaProps = {
  type: 'object',
  additionalProperties: { type: 'string' },
};

/** A list of strings that merges as a set, like `metadata.finalizers`. */
export const STRING_SET: JsonSchemaProps = {
  type: 'array',
  items: { type: 'string' },
  'x-kubernetes-list-type': 'set',
};

/** An object whose fields are kept as they are, unchecked. */
export const LOOSE_OBJECT: JsonSchemaProps = {
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
};

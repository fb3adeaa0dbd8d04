import { isPlainObject } from '../schema/structuralValidator';
import { JsonSchemaProps } from '../schema/types';
import {
  childSchema,
  isAtomicMap,
  listMapKeys,
  listTypeOf,
} from './schemaNavigation';
import { sameValue } from './trackedFields';

/**
 * Merges an applied configuration into the live object the way
 * server-side apply does: maps and structs merge key by key, lists marked
 * `x-kubernetes-list-type: map` merge item by item on their keys, `set`
 * lists take the union, and every other list is atomic (replaced).
 */
export function mergeValues(
  live: unknown,
  applied: unknown,
  schema: JsonSchemaProps | undefined,
): unknown {
  if (applied === undefined) return structuredClone(live);
  if (isPlainObject(applied) && isPlainObject(live) && !isAtomicMap(schema)) {
    const merged: Record<string, unknown> = structuredClone(live);
    for (const [key, value] of Object.entries(applied)) {
      merged[key] = mergeValues(live[key], value, childSchema(schema, key));
    }
    return merged;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const listType = listTypeOf(schema);
    if (listType === 'map') {
      const keys = listMapKeys(schema);
      const merged = structuredClone(live);
      for (const item of applied) {
        const index = merged.findIndex(
          existing =>
            isPlainObject(existing) &&
            isPlainObject(item) &&
            keys.every(k => sameValue(existing[k], item[k])),
        );
        if (index >= 0)
          merged[index] = mergeValues(merged[index], item, schema?.items);
        else merged.push(structuredClone(item));
      }
      return merged;
    }
    if (listType === 'set') {
      const merged = structuredClone(live);
      for (const item of applied) {
        if (!merged.some(existing => sameValue(existing, item)))
          merged.push(item);
      }
      return merged;
    }
  }
  return structuredClone(applied);
}

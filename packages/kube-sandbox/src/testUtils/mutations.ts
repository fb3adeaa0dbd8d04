import { isPlainObject } from '../schema/structuralValidator';
import { JsonSchemaProps } from '../schema/types';

/**
 * Breaks a valid object in one known way, guided by its schema, and says
 * which field the API server should then name.
 */

type Json = Record<string, any>;
const ENVELOPE = new Set(['apiVersion', 'kind', 'metadata', 'status']);

interface Found {
  parent: Json;
  key: string;
  path: string;
}

function* walk(
  schema: JsonSchemaProps | undefined,
  value: unknown,
  path: string,
): Generator<Found & { schema: JsonSchemaProps; value: unknown }> {
  if (!schema || !isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (!path && ENVELOPE.has(key)) continue;
    const childSchema = schema.properties?.[key];
    if (!childSchema) continue;
    const childPath = path ? `${path}.${key}` : key;
    yield {
      parent: value,
      key,
      path: childPath,
      schema: childSchema,
      value: child,
    };
    if (Array.isArray(child)) {
      for (let i = 0; i < child.length; i++) {
        yield* walk(childSchema.items, child[i], `${childPath}[${i}]`);
      }
    } else {
      yield* walk(childSchema, child, childPath);
    }
  }
}

/** Removes the first present field the schema requires; returns its path. */
export function removeRequiredField(
  schema: JsonSchemaProps,
  object: Json,
): string | undefined {
  const rootRequired = (schema.required ?? []).find(
    k => !ENVELOPE.has(k) && object[k] !== undefined,
  );
  if (rootRequired) {
    delete object[rootRequired];
    return rootRequired;
  }
  for (const found of walk(schema, object, '')) {
    if (!isPlainObject(found.value)) continue;
    const key = (found.schema.required ?? []).find(
      k => (found.value as Json)[k] !== undefined,
    );
    if (key) {
      delete (found.value as Json)[key];
      return `${found.path}.${key}`;
    }
  }
  return undefined;
}

/** Replaces the first plain string field with an object; returns its path. */
export function breakStringType(
  schema: JsonSchemaProps,
  object: Json,
): string | undefined {
  for (const found of walk(schema, object, '')) {
    if (
      found.schema.type === 'string' &&
      !found.schema['x-kubernetes-int-or-string'] &&
      typeof found.value === 'string'
    ) {
      found.parent[found.key] = { wrong: 'type' };
      return found.path;
    }
  }
  return undefined;
}

/** Adds a field the schema does not declare, under `spec` when it is structural. */
export function addUnknownField(schema: JsonSchemaProps, object: Json): string {
  const spec = schema.properties?.spec;
  if (
    spec?.properties &&
    !spec['x-kubernetes-preserve-unknown-fields'] &&
    isPlainObject(object.spec)
  ) {
    object.spec.unknownSandboxField = 'x';
    return 'spec.unknownSandboxField';
  }
  object.unknownSandboxField = 'x';
  return 'unknownSandboxField';
}

import { create } from '@bufbuild/protobuf';
import { DurationSchema, timestampFromMs } from '@bufbuild/protobuf/wkt';
import { isPlainObject } from '../structuralValidator';
import { JsonSchemaProps } from '../types';
import { escapeCelName } from './escaping';
import { parseGoDuration } from './goDuration';

/**
 * Turns a stored (JSON) value into the CEL value a rule sees, by its
 * schema, re-expressed from k8s.io/apiserver pkg/cel/common/values.go
 * (v0.32.0) `UnstructuredToVal`: `integer` is a CEL int, `number` a double
 * (also when written without a fraction), `x-kubernetes-int-or-string` an
 * int or a string, strings with `format: duration`, `date`, `date-time`
 * and `byte` a duration, timestamp or bytes. An object with `properties`
 * is a map of the declared fields under their escaped names (`__dash__`,
 * `__namespace__`, ...; null fields are absent); one with
 * `additionalProperties` a map of its keys; the root of a resource and
 * embedded resources show only `apiVersion`, `kind`, `metadata.name` and
 * `metadata.generateName` of their envelope (`WithTypeAndObjectMeta`).
 * Values under `x-kubernetes-preserve-unknown-fields` without a schema are
 * converted as plain JSON (upstream keeps them opaque).
 */

/** Conversions already done during one validation, by the JSON object converted. */
export type CelValueCache = WeakMap<object, unknown>;

const ENVELOPE: JsonSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        generateName: { type: 'string' },
      },
    },
  },
};

function plainJsonToCel(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map(plainJsonToCel);
  if (isPlainObject(value)) {
    return new Map(
      Object.entries(value).map(([k, v]) => [k, plainJsonToCel(v)]),
    );
  }
  return value ?? null;
}

function stringToCel(schema: JsonSchemaProps, value: string): unknown {
  switch (schema.format) {
    case 'duration': {
      const nanos = parseGoDuration(value);
      if (nanos === undefined) return value;
      const seconds = Math.trunc(nanos / 1e9);
      return create(DurationSchema, {
        seconds: BigInt(seconds),
        nanos: Math.round(nanos - seconds * 1e9),
      });
    }
    case 'date':
    case 'date-time': {
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? value : timestampFromMs(ms);
    }
    case 'byte':
      return new Uint8Array(Buffer.from(value, 'base64'));
    default:
      return value;
  }
}

function objectToCel(
  schema: JsonSchemaProps,
  value: Record<string, unknown>,
  cache: CelValueCache,
  withEnvelope: boolean,
): Map<string, unknown> {
  const result = new Map<string, unknown>();
  const properties = withEnvelope
    ? { ...schema.properties, ...ENVELOPE.properties }
    : schema.properties;
  if (properties) {
    for (const [key, field] of Object.entries(value)) {
      const fieldSchema = properties[key];
      const name = escapeCelName(key);
      if (!fieldSchema || field === null || field === undefined || !name) {
        continue;
      }
      result.set(name, toCelValue(field, fieldSchema, cache));
    }
    return result;
  }
  const additional = schema.additionalProperties;
  if (isPlainObject(additional)) {
    for (const [key, field] of Object.entries(value)) {
      result.set(key, toCelValue(field, additional, cache));
    }
  }
  return result;
}

/** The CEL value of `value` under `schema`; `isResourceRoot` for the root of a resource. */
export function toCelValue(
  value: unknown,
  schema: JsonSchemaProps | undefined,
  cache: CelValueCache,
  isResourceRoot = false,
): unknown {
  if (value === null || value === undefined) return null;
  if (!schema) return plainJsonToCel(value);
  if (typeof value === 'object') {
    const cached = cache.get(value);
    if (cached !== undefined) return cached;
  }
  let result: unknown;
  if (schema['x-kubernetes-int-or-string']) {
    result = typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
  } else if (Array.isArray(value)) {
    result = value.map(item => toCelValue(item, schema.items, cache));
  } else if (isPlainObject(value)) {
    const structured =
      schema.properties ||
      isPlainObject(schema.additionalProperties) ||
      schema['x-kubernetes-embedded-resource'] ||
      isResourceRoot;
    result =
      structured || schema.type === 'object'
        ? objectToCel(
            schema,
            value,
            cache,
            isResourceRoot || schema['x-kubernetes-embedded-resource'] === true,
          )
        : plainJsonToCel(value);
  } else if (typeof value === 'number') {
    result =
      schema.type === 'integer' ||
      (schema.type === undefined && Number.isInteger(value))
        ? BigInt(Math.trunc(value))
        : value;
  } else if (typeof value === 'string') {
    result = stringToCel(schema, value);
  } else {
    result = value;
  }
  if (typeof value === 'object') cache.set(value, result);
  return result;
}

import { matchesNumberFormat, matchesStringFormat } from './formats';
import { JsonSchemaProps, ValidationCause } from './types';

/**
 * Validates a value against a structural schema the way the API server
 * does for custom resources: it applies `default`s, prunes fields the
 * schema does not know (remembering them for strict decoding), drops
 * `null`s of non-nullable fields, and reports problems as StatusCauses
 * with kube-openapi's messages. CEL rules (`x-kubernetes-validations`)
 * are evaluated afterwards, by cel/checkCelRules.ts.
 */

export interface StructuralCheckResult {
  causes: ValidationCause[];
  /** Paths of fields that were pruned because no schema declares them. */
  unknownFields: string[];
}

interface WalkContext {
  causes: ValidationCause[];
  unknownFields: string[];
  /** In `allOf`/`anyOf`/`oneOf`/`not` branches: check only, never change the value. */
  checkOnly: boolean;
  applyDefaults: boolean;
}

type JsonObject = Record<string, unknown>;

/** Fields of an embedded resource (and of the root) that the schema does not have to declare. */
const RESOURCE_ENVELOPE_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

const regexCache = new Map<string, RegExp | null>();

/** Go RE2 patterns mostly work as JS RegExps; patterns JS cannot compile are skipped. */
function compilePattern(pattern: string): RegExp | null {
  let compiled = regexCache.get(pattern);
  if (compiled === undefined) {
    compiled = null;
    for (const flags of ['u', '']) {
      try {
        compiled = new RegExp(pattern, flags);
        break;
      } catch {
        // try the next flag set
      }
    }
    regexCache.set(pattern, compiled);
  }
  return compiled;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}

/** Renders a value the way Go's `%#v`-ish field errors show it (close enough). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (value === null || value === undefined) return 'null';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function childPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function matchesType(expected: string, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

function add(ctx: WalkContext, reason: string, field: string, message: string) {
  ctx.causes.push({ reason, field, message });
}

function invalid(
  ctx: WalkContext,
  field: string,
  value: unknown,
  detail: string,
) {
  add(
    ctx,
    'FieldValueInvalid',
    field,
    `Invalid value: ${describeValue(value)}: ${field} in body ${detail}`,
  );
}

function typeInvalid(
  ctx: WalkContext,
  field: string,
  value: unknown,
  expected: string,
) {
  const actual = JSON.stringify(jsonTypeOf(value));
  add(
    ctx,
    'FieldValueTypeInvalid',
    field,
    `Invalid value: ${actual}: ${field} in body must be of type ${expected}: ${actual}`,
  );
}

function checkString(
  schema: JsonSchemaProps,
  value: string,
  path: string,
  ctx: WalkContext,
) {
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    add(
      ctx,
      'FieldValueTooLong',
      path,
      `Too long: may not be more than ${schema.maxLength} bytes`,
    );
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    invalid(
      ctx,
      path,
      value,
      `should be at least ${schema.minLength} chars long`,
    );
  }
  if (schema.pattern !== undefined) {
    const regex = compilePattern(schema.pattern);
    if (regex && !regex.test(value)) {
      invalid(ctx, path, value, `should match '${schema.pattern}'`);
    }
  }
  if (schema.format && !matchesStringFormat(schema.format, value)) {
    const actual = describeValue(value);
    add(
      ctx,
      'FieldValueTypeInvalid',
      path,
      `Invalid value: ${actual}: ${path} in body must be of type ${schema.format}: ${actual}`,
    );
  }
}

function checkNumber(
  schema: JsonSchemaProps,
  value: number,
  path: string,
  ctx: WalkContext,
) {
  if (schema.minimum !== undefined) {
    if (
      schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum
    ) {
      const op = schema.exclusiveMinimum
        ? 'greater than'
        : 'greater than or equal to';
      invalid(ctx, path, value, `should be ${op} ${schema.minimum}`);
    }
  }
  if (schema.maximum !== undefined) {
    if (
      schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum
    ) {
      const op = schema.exclusiveMaximum
        ? 'less than'
        : 'less than or equal to';
      invalid(ctx, path, value, `should be ${op} ${schema.maximum}`);
    }
  }
  if (schema.multipleOf && value % schema.multipleOf !== 0) {
    invalid(ctx, path, value, `should be a multiple of ${schema.multipleOf}`);
  }
  if (schema.format && !matchesNumberFormat(schema.format, value)) {
    invalid(ctx, path, value, `should be a ${schema.format}`);
  }
}

function checkArray(
  schema: JsonSchemaProps,
  value: unknown[],
  path: string,
  ctx: WalkContext,
) {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    add(
      ctx,
      'FieldValueTooMany',
      path,
      `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
    );
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    invalid(ctx, path, value, `should have at least ${schema.minItems} items`);
  }
  if (schema.items) {
    for (let i = 0; i < value.length; i++) {
      value[i] = walk(schema.items, value[i], `${path}[${i}]`, ctx, false);
    }
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set' || listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const identity =
        listType === 'map' && isPlainObject(item)
          ? JSON.stringify(keys.map(k => item[k]))
          : JSON.stringify(item);
      if (seen.has(identity)) {
        const shown =
          listType === 'map' && isPlainObject(item)
            ? `{${keys.map(k => `"${k}":${describeValue(item[k])}`).join(',')}}`
            : describeValue(item);
        add(
          ctx,
          'FieldValueDuplicate',
          `${path}[${i}]`,
          `Duplicate value: ${shown}`,
        );
      }
      seen.add(identity);
    });
  }
}

function checkObject(
  schema: JsonSchemaProps,
  value: JsonObject,
  path: string,
  ctx: WalkContext,
  isResource: boolean,
) {
  const properties = schema.properties ?? {};
  const additional = schema.additionalProperties;
  const preserveUnknown =
    schema['x-kubernetes-preserve-unknown-fields'] === true;
  const envelope =
    isResource || schema['x-kubernetes-embedded-resource'] === true;

  if (!ctx.checkOnly) {
    for (const [key, propSchema] of Object.entries(properties)) {
      if (value[key] === null && !propSchema.nullable) delete value[key];
      if (
        ctx.applyDefaults &&
        value[key] === undefined &&
        propSchema.default !== undefined
      ) {
        value[key] = structuredClone(propSchema.default);
      }
    }
  }

  for (const key of Object.keys(value)) {
    const keyPath = childPath(path, key);
    const propSchema = properties[key];
    if (envelope && RESOURCE_ENVELOPE_FIELDS.has(key)) {
      // apiVersion, kind and metadata are checked by validateResource
    } else if (propSchema) {
      value[key] = walk(propSchema, value[key], keyPath, ctx, false);
    } else if (isPlainObject(additional)) {
      value[key] = walk(additional, value[key], keyPath, ctx, false);
    } else if (additional === true || preserveUnknown || ctx.checkOnly) {
      // kept as is
    } else {
      ctx.unknownFields.push(keyPath);
      delete value[key];
    }
  }

  for (const key of schema.required ?? []) {
    if (value[key] === undefined) {
      add(ctx, 'FieldValueRequired', childPath(path, key), 'Required value');
    }
  }
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    add(
      ctx,
      'FieldValueTooMany',
      path,
      `Too many: ${count}: must have at most ${schema.maxProperties} items`,
    );
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    invalid(
      ctx,
      path,
      value,
      `should have at least ${schema.minProperties} properties`,
    );
  }
}

/** Validates `value` against a branch schema without changing it; returns the problems. */
function branchCauses(
  schema: JsonSchemaProps,
  value: unknown,
  path: string,
): ValidationCause[] {
  const branch: WalkContext = {
    causes: [],
    unknownFields: [],
    checkOnly: true,
    applyDefaults: false,
  };
  walk(schema, value, path, branch, false);
  return branch.causes;
}

function branchIsValid(
  schema: JsonSchemaProps,
  value: unknown,
  path: string,
): boolean {
  return branchCauses(schema, value, path).length === 0;
}

function checkCombinators(
  schema: JsonSchemaProps,
  value: unknown,
  path: string,
  ctx: WalkContext,
) {
  const field = path || '<root>';
  for (const sub of schema.allOf ?? []) {
    ctx.causes.push(...branchCauses(sub, value, path));
  }
  if (
    schema.anyOf &&
    !schema.anyOf.some(sub => branchIsValid(sub, value, path))
  ) {
    invalid(ctx, field, value, 'must validate at least one schema (anyOf)');
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter(sub =>
      branchIsValid(sub, value, path),
    ).length;
    if (matching !== 1) {
      const found =
        matching === 0
          ? 'Found none valid'
          : `Found ${matching} valid alternatives`;
      invalid(
        ctx,
        field,
        value,
        `must validate one and only one schema (oneOf). ${found}`,
      );
    }
  }
  if (schema.not && branchIsValid(schema.not, value, path)) {
    invalid(ctx, field, value, 'must not validate the schema (not)');
  }
}

function walk(
  schema: JsonSchemaProps,
  value: unknown,
  path: string,
  ctx: WalkContext,
  isResource: boolean,
): unknown {
  if (value === null && schema.nullable) return value;

  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && jsonTypeOf(value) !== 'integer') {
      typeInvalid(ctx, path, value, 'integer,string');
      return value;
    }
  } else if (schema.type && !matchesType(schema.type, value)) {
    typeInvalid(ctx, path, value, schema.type);
    return value;
  }

  if (schema.enum && !schema.enum.some(allowed => deepEqual(allowed, value))) {
    const supported = schema.enum.map(describeValue).join(', ');
    add(
      ctx,
      'FieldValueNotSupported',
      path,
      `Unsupported value: ${describeValue(
        value,
      )}: supported values: ${supported}`,
    );
  }

  if (typeof value === 'string') checkString(schema, value, path, ctx);
  else if (typeof value === 'number') checkNumber(schema, value, path, ctx);
  else if (Array.isArray(value)) checkArray(schema, value, path, ctx);
  else if (isPlainObject(value)) {
    // An untyped schema without structure (e.g. `{}` or preserve-unknown-fields
    // without properties) accepts any content.
    if (
      schema.type === 'object' ||
      schema.properties ||
      schema.additionalProperties ||
      schema.required ||
      schema.minProperties !== undefined ||
      schema.maxProperties !== undefined
    ) {
      checkObject(schema, value, path, ctx, isResource);
    }
  }

  checkCombinators(schema, value, path, ctx);
  return value;
}

/**
 * Validates (and, unless `checkOnly`, defaults and prunes in place) a whole
 * resource against its root schema. `apiVersion`, `kind` and `metadata`
 * are left to the caller.
 */
export function checkStructural(
  schema: JsonSchemaProps,
  resource: JsonObject,
  options: { applyDefaults?: boolean } = {},
): StructuralCheckResult {
  const ctx: WalkContext = {
    causes: [],
    unknownFields: [],
    checkOnly: false,
    applyDefaults: options.applyDefaults ?? true,
  };
  walk(schema, resource, '', ctx, true);
  return { causes: ctx.causes, unknownFields: ctx.unknownFields };
}

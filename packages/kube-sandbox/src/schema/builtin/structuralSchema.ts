import { isPlainObject } from '../structuralValidator';
import { JsonSchemaProps } from '../types';
import { RawDefinition, rawDefinition } from './kubernetesModels';

/**
 * Converts the published definitions of a built-in kind (kubernetesModels.ts) into the sandbox's
 * structural `JsonSchemaProps`, the form the validator, the pruning and server-side apply use for
 * CRDs:
 *
 * - `$ref: "<id>#"` is resolved (each definition converted once and shared); a definition that
 *   refers back to itself (only JSONSchemaProps does) keeps its fields unchecked there.
 * - `kubernetes-models` marks every optional field `nullable` (or wraps its `$ref` in
 *   `oneOf: [ref, {type: null}]`) so that its validators accept `null`. The API server decodes a
 *   `null` of an optional field as the field left out, which is what the validator does with a
 *   `null` where the schema is not nullable: both markers are dropped.
 * - The apimachinery types with their own JSON form get the extensions the API server's OpenAPI
 *   gives them (k8s.io/apimachinery v0.27 `util/intstr` IntOrString `OpenAPISchemaFormat`
 *   "int-or-string", `api/resource` Quantity `OpenAPIV3OneOfTypes` string|number,
 *   `runtime.RawExtension`, `meta/v1.FieldsV1` and apiextensions `JSON` holding any JSON):
 *   IntOrString -> `x-kubernetes-int-or-string`, Quantity -> a string in the quantity syntax or a
 *   number, the others -> `x-kubernetes-preserve-unknown-fields`.
 * - On the kind itself, `apiVersion`/`kind`/`metadata` are left to the resource checks (as for
 *   CRDs): the package's own `required: [apiVersion, kind]` and `enum`s on them are dropped.
 *
 * Not available from the package: `x-kubernetes-list-type`, `x-kubernetes-list-map-keys` and
 * `x-kubernetes-map-type` (the generator strips vendor extensions), so server-side apply treats the
 * lists of built-in kinds as atomic, where the real API server merges e.g. containers by name.
 */

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const ANY_JSON = new Set([
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
]);

/** Schemas of the apimachinery types that are not plain JSON Schema objects. */
const SPECIAL: Record<string, JsonSchemaProps> = {
  [INT_OR_STRING]: { 'x-kubernetes-int-or-string': true },
  [QUANTITY]: {
    oneOf: [{ type: 'string', format: 'quantity' }, { type: 'number' }],
  },
};

const KEYWORDS_KEPT = [
  'type',
  'format',
  'enum',
  'required',
  'description',
] as const;

const converted = new Map<string, JsonSchemaProps>();
const inProgress = new Set<string>();

function refId(ref: unknown): string | undefined {
  return typeof ref === 'string' ? ref.replace(/#$/, '') : undefined;
}

function isNullBranch(schema: unknown): boolean {
  return isPlainObject(schema) && schema.type === 'null';
}

function convertNode(node: unknown): JsonSchemaProps {
  if (!isPlainObject(node)) return {};
  const id = refId(node.$ref);
  if (id) return definitionSchema(id);
  if (Array.isArray(node.oneOf)) {
    const branches = node.oneOf.filter(b => !isNullBranch(b));
    if (branches.length === 1) return convertNode(branches[0]);
    return { oneOf: branches.map(convertNode) };
  }
  const schema: JsonSchemaProps = {};
  for (const keyword of KEYWORDS_KEPT) {
    if (node[keyword] !== undefined) {
      (schema as Record<string, unknown>)[keyword] = node[keyword];
    }
  }
  if (isPlainObject(node.properties)) {
    schema.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, value]) => [
        key,
        convertNode(value),
      ]),
    );
  }
  if (node.items !== undefined) schema.items = convertNode(node.items);
  if (isPlainObject(node.additionalProperties)) {
    schema.additionalProperties = convertNode(node.additionalProperties);
  } else if (typeof node.additionalProperties === 'boolean') {
    schema.additionalProperties = node.additionalProperties;
  }
  return schema;
}

/** The structural schema of a definition, e.g. `io.k8s.api.core.v1.PodSpec`. */
export function definitionSchema(id: string): JsonSchemaProps {
  if (SPECIAL[id]) return SPECIAL[id];
  if (ANY_JSON.has(id)) {
    return { 'x-kubernetes-preserve-unknown-fields': true };
  }
  const cached = converted.get(id);
  if (cached) return cached;
  if (inProgress.has(id)) {
    return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  inProgress.add(id);
  try {
    const schema = convertNode(rawDefinition(id) as RawDefinition);
    converted.set(id, schema);
    return schema;
  } finally {
    inProgress.delete(id);
  }
}

/** The root schema of a kind: the definition without the checks the resource envelope gets elsewhere. */
export function kindSchema(id: string): JsonSchemaProps {
  const schema = definitionSchema(id);
  const properties = { ...schema.properties };
  properties.apiVersion = { type: 'string' };
  properties.kind = { type: 'string' };
  properties.metadata = { type: 'object' };
  const { required: declared, ...rest } = schema;
  const required = (declared ?? []).filter(
    key => key !== 'apiVersion' && key !== 'kind',
  );
  return { ...rest, properties, ...(required.length > 0 ? { required } : {}) };
}

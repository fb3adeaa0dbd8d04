import * as admissionregistrationV1 from 'kubernetes-models/admissionregistration.k8s.io/v1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as coreV1 from 'kubernetes-models/v1';
import * as networkingV1 from 'kubernetes-models/networking.k8s.io/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as schedulingV1 from 'kubernetes-models/scheduling.k8s.io/v1';
import * as storageV1 from 'kubernetes-models/storage.k8s.io/v1';
import { ManifestIssue } from './types';
import { findUnknownFields } from './unknownFields';

/**
 * Built-in Kubernetes kinds are checked with the validators that `kubernetes-models` generates from
 * the Kubernetes OpenAPI document (types, required fields, enums, formats such as quantities), and
 * for unknown fields with the model metadata of `@kubernetes/client-node` (see unknownFields.ts),
 * which together approximate `kubectl apply --validate=strict` without a cluster.
 */

/** What a `kubernetes-models` class looks like at runtime. */
interface ModelClass {
  apiVersion?: unknown;
  kind?: unknown;
  new (data: unknown): { validate(): void };
}

/** The error shape of the generated (ajv) validators. */
interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const GROUP_VERSION_MODULES: Record<string, unknown>[] = [
  coreV1,
  appsV1,
  rbacV1,
  networkingV1,
  policyV1,
  autoscalingV2,
  batchV1,
  schedulingV1,
  storageV1,
  admissionregistrationV1,
];

function isModelClass(value: unknown): value is ModelClass {
  return (
    typeof value === 'function' &&
    typeof (value as ModelClass).apiVersion === 'string' &&
    typeof (value as ModelClass).kind === 'string'
  );
}

let registry: Map<string, ModelClass> | undefined;

function coreModels(): Map<string, ModelClass> {
  if (!registry) {
    registry = new Map();
    for (const module of GROUP_VERSION_MODULES) {
      for (const exported of Object.values(module)) {
        if (isModelClass(exported) && !String(exported.kind).endsWith('List')) {
          registry.set(`${exported.apiVersion}|${exported.kind}`, exported);
        }
      }
    }
  }
  return registry;
}

/** Whether `apiVersion`/`kind` is a built-in kind this validator has a schema for. */
export function isCoreKind(apiVersion: string, kind: string): boolean {
  return coreModels().has(`${apiVersion}|${kind}`);
}

/** `/spec/template/spec/containers/0` -> `spec.template.spec.containers[0]` */
export function toFieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => {
      if (/^\d+$/.test(part)) return `${path}[${part}]`;
      return path ? `${path}.${part}` : part;
    }, '');
}

function toIssue(error: SchemaError): ManifestIssue {
  const field = toFieldPath(error.instancePath);
  switch (error.keyword) {
    case 'required': {
      const missing = String(error.params.missingProperty);
      return {
        reason: 'FieldValueRequired',
        field: field ? `${field}.${missing}` : missing,
        message: 'Required value',
      };
    }
    case 'enum':
      return {
        reason: 'FieldValueNotSupported',
        field,
        message: `Unsupported value, supported values: ${JSON.stringify(
          error.params.allowedValues,
        )}`,
      };
    case 'type':
      return {
        reason: 'FieldValueTypeInvalid',
        field,
        message: `Invalid value: ${error.message ?? 'wrong type'}`,
      };
    default:
      return {
        reason: 'FieldValueInvalid',
        field,
        message: `Invalid value: ${error.message ?? error.keyword}`,
      };
  }
}

/**
 * One issue per field: a value such as a quantity fails several alternatives of a `oneOf` at once;
 * the `format` error says what was expected, the `oneOf` summary adds nothing.
 */
function mostSpecificPerField(errors: SchemaError[]): SchemaError[] {
  const byPath = new Map<string, SchemaError[]>();
  for (const error of errors) {
    const key =
      error.keyword === 'required'
        ? `${error.instancePath}/${String(error.params.missingProperty)}`
        : error.instancePath;
    byPath.set(key, [...(byPath.get(key) ?? []), error]);
  }
  return [...byPath.values()].map(
    group =>
      group.find(e => e.keyword === 'format') ??
      group.find(e => e.keyword !== 'oneOf' && e.keyword !== 'anyOf') ??
      group[0],
  );
}

/**
 * Validates a built-in kind. Call only when {@link isCoreKind} is true.
 */
export function validateCoreObject(
  obj: Record<string, unknown>,
): ManifestIssue[] {
  const model = coreModels().get(`${obj.apiVersion}|${obj.kind}`);
  if (!model) {
    return [
      {
        reason: 'UnknownKind',
        field: '',
        message: `no built-in schema for ${obj.apiVersion} ${obj.kind}`,
      },
    ];
  }
  const issues: ManifestIssue[] = [];
  try {
    const Model = model;
    new Model(obj).validate();
  } catch (error) {
    const schemaErrors = (error as { errors?: SchemaError[] }).errors;
    if (!Array.isArray(schemaErrors)) throw error;
    issues.push(...mostSpecificPerField(schemaErrors).map(toIssue));
  }
  issues.push(...findUnknownFields(obj));
  return issues;
}

/** Where core schemas come from, for the report. */
export const CORE_SCHEMA_ORIGIN =
  'kubernetes-models (Kubernetes OpenAPI) + @kubernetes/client-node model fields';

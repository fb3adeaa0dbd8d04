import {
  CORE_SCHEMA_ORIGIN,
  isCoreKind,
  validateCoreObject,
} from './coreKinds';
import { findKindWithoutSchema } from './kindsWithoutSchema';
import { checkObjectMeta } from './objectMeta';
import { CrdSchemaCatalog, ManifestIssue, SchemaSource } from './types';

export interface ObjectCheck {
  schemaSource: SchemaSource;
  schemaOrigin: string;
  issues: ManifestIssue[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks one document: built-in kinds against the Kubernetes schemas, custom resources against
 * their CRD schema (strict, so unknown fields are errors), and anything else is an error.
 */
export function validateObject(
  value: unknown,
  crds: CrdSchemaCatalog,
): ObjectCheck {
  if (!isPlainObject(value)) {
    return {
      schemaSource: 'unknown',
      schemaOrigin: '',
      issues: [
        {
          reason: 'FieldValueInvalid',
          field: '',
          message: 'a manifest must be a mapping',
        },
      ],
    };
  }
  const missing = ['apiVersion', 'kind'].filter(
    key => typeof value[key] !== 'string' || value[key] === '',
  );
  if (missing.length > 0) {
    return {
      schemaSource: 'unknown',
      schemaOrigin: '',
      issues: missing.map(field => ({
        reason: 'FieldValueRequired',
        field,
        message: 'Required value',
      })),
    };
  }
  const apiVersion = String(value.apiVersion);
  const kind = String(value.kind);
  const metaIssues = checkObjectMeta(value);

  if (isCoreKind(apiVersion, kind)) {
    return {
      schemaSource: 'core',
      schemaOrigin: CORE_SCHEMA_ORIGIN,
      issues: [...validateCoreObject(value), ...metaIssues],
    };
  }
  const crd = crds.find(apiVersion, kind);
  if (crd) {
    return {
      schemaSource: 'crd',
      schemaOrigin: crd.sourceFile,
      issues: [...crds.validate(value, { strict: true }), ...metaIssues],
    };
  }
  const withoutSchema = findKindWithoutSchema(apiVersion, kind);
  if (withoutSchema) {
    return {
      schemaSource: 'unchecked',
      schemaOrigin: withoutSchema.reason,
      issues: metaIssues,
    };
  }
  return {
    schemaSource: 'unknown',
    schemaOrigin: '',
    issues: [
      {
        reason: 'UnknownKind',
        field: 'apiVersion',
        message: `no schema for apiVersion "${apiVersion}" kind "${kind}" (not a built-in kind, not served by any CRD in the CRD folder)`,
      },
      ...metaIssues,
    ],
  };
}

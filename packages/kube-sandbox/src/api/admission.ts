import { joinApiVersion } from '../schema/kubeVersions';
import { CelCheckOptions } from '../schema/cel/checkCelRules';
import { checkResource } from '../schema/validateResource';
import { KubeObject } from '../store/types';
import { ServedResource } from './resourceRegistry';
import { badRequest, invalid } from './statusErrors';

/** The `fieldValidation` query parameter; the API server defaults to Warn. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(value: string | null): FieldValidation {
  if (value === 'Strict' || value === 'Ignore') return value;
  if (value === null || value === '' || value === 'Warn') return 'Warn';
  throw badRequest(
    `fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${value}"`,
  );
}

/**
 * Handles fields no schema declares, per `fieldValidation`: Strict fails
 * with the API server's strict decoding error, Warn adds a warning, and
 * both (like Ignore) prune them.
 */
export function handleUnknownFields(
  unknownFields: string[],
  mode: FieldValidation,
  warnings: string[],
): void {
  if (unknownFields.length === 0 || mode === 'Ignore') return;
  const described = unknownFields.map(f => `unknown field "${f}"`);
  if (mode === 'Strict') {
    throw badRequest(`strict decoding error: ${described.join(', ')}`);
  }
  warnings.push(...described);
}

/**
 * Validates an object about to be stored: unknown fields per
 * `fieldValidation`, then metadata, schema and CEL rules (422 Invalid;
 * `cel` gives updates the stored object). Returns the defaulted, pruned
 * object.
 */
export function admit(
  served: ServedResource,
  object: KubeObject,
  mode: FieldValidation,
  warnings: string[],
  cel: CelCheckOptions = {},
): KubeObject {
  const result = checkResource(served.kind, served.version.name, object, {
    celRules: cel,
  });
  handleUnknownFields(result.unknownFields, mode, warnings);
  warnings.push(...result.warnings);
  if (result.causes.length > 0) {
    throw invalid(
      served.kind.kind,
      served.kind.group,
      object.metadata?.name ?? object.metadata?.generateName ?? '',
      result.causes,
    );
  }
  return result.object as KubeObject;
}

/**
 * Prunes unknown fields from an apply configuration before it is merged,
 * so that the manager does not end up owning fields that are dropped.
 */
export function pruneApplyConfiguration(
  served: ServedResource,
  config: KubeObject,
  mode: FieldValidation,
  warnings: string[],
): KubeObject {
  const result = checkResource(served.kind, served.version.name, config, {
    applyDefaults: false,
    celRules: false,
  });
  handleUnknownFields(result.unknownFields, mode, warnings);
  return result.object as KubeObject;
}

/** The object as served at the requested version (conversion is `None`). */
export function atVersion(
  served: ServedResource,
  object: KubeObject,
): KubeObject {
  return {
    ...object,
    apiVersion: joinApiVersion(served.kind.group, served.version.name),
  };
}

/** Warning for deprecated versions, as the API server sends it. */
export function deprecationWarning(served: ServedResource): string | undefined {
  if (!served.version.deprecated) return undefined;
  return (
    served.version.deprecationWarning ??
    `${joinApiVersion(served.kind.group, served.version.name)} ${
      served.kind.kind
    } is deprecated`
  );
}

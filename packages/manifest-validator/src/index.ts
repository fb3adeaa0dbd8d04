/**
 * Offline validation of the platform manifests (configs/) against the CRD schemas and the
 * Kubernetes schemas of built-in kinds.
 *
 * @packageDocumentation
 */
export { validateManifests } from './validateManifests';
export type { ValidateManifestsOptions } from './validateManifests';
export { formatReport } from './formatReport';
export { KINDS_WITHOUT_SCHEMA } from './kindsWithoutSchema';
export type {
  CrdSchemaCatalog,
  ManifestFileResult,
  ManifestIssue,
  ManifestObjectResult,
  ManifestValidationReport,
  SchemaSource,
} from './types';
export {
  chartSources,
  pinnedServingRuntimes,
  supportingRuntimes,
} from './platform/pinnedCharts';
export type { ServingRuntime, SourceRow } from './platform/pinnedCharts';

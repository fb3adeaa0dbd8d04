/**
 * Node library of the inference plugins: cluster access (the only user of
 * `@kubernetes/client-node`) behind a root service, the Kubernetes kinds the platform uses, the
 * publication record format, tenants from the catalog (and the platform admins' group), the
 * models-changed event topic, and the permission pieces a portal's policy uses: the model
 * resource's rules and conditions, and the inference portal's policy (docs/install.md).
 *
 * @packageDocumentation
 */
export { clusterRegistryServiceRef } from './clusterRegistryServiceRef';
export { createClusterRegistry } from './cluster/ClusterRegistry';
export type { ClusterRegistry } from './cluster/ClusterRegistry';
export type {
  ClusterConfig,
  ClusterClientOptions,
} from './cluster/createClusterClient';
export type { RetryPolicy } from './cluster/retry';
export { readClusterConfig } from './cluster/readClusterConfig';
export type { ClusterSettings } from './cluster/readClusterConfig';
export * from './cluster/errors';
export * from './cluster/types';
export * from './kinds';
export * from './events';
export * from './publication/endpoint';
export * from './publication/publicationObjects';
export { readPublishRequest } from './publication/readPublishRequest';
export type { RecordedPublishRequest } from './publication/readPublishRequest';
export {
  DEFAULT_TRUSTED_TENANT_LOCATIONS,
  readTenants,
  readTrustedTenantLocations,
} from './tenants/readTenants';
export type { ReadTenantsOptions } from './tenants/readTenants';
export {
  createRefreshingCache,
  TENANTS_MAX_AGE_MS,
} from './tenants/refreshingCache';
export type {
  RefreshingCache,
  RefreshingCacheOptions,
} from './tenants/refreshingCache';
export { PLATFORM_ADMINS_GROUP } from './tenants/platformAdmins';
export {
  ACCESS_LOG_LABELS,
  CLIENT_ID_LABEL,
  USAGE_METRICS,
  usageMetricOfSeries,
  usageSeriesNames,
} from './usage/usageMetrics';
export type { UsageMetricFamily, UsageMetricKey } from './usage/usageMetrics';
export {
  createInferenceModelConditionalDecision,
  inferenceModelConditions,
} from './permissions/conditions';
export {
  inferenceModelResourceRef,
  type InferenceModelResource,
} from './permissions/resource';
export { inferenceModelRules } from './permissions/rules';
export {
  ADMIN_ONLY_PERMISSIONS,
  InferencePortalPolicy,
  TENANT_MEMBER_PERMISSIONS,
} from './permissions/InferencePortalPolicy';
export {
  catalogTenantGroups,
  staticTenantGroups,
  type TenantGroups,
} from './permissions/tenantGroups';

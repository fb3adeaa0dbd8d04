/**
 * Test helpers for the packages that run the inference plugin in tests (the plugin's own tests and
 * the portal's integration tests in packages/backend): a test backend on a fresh Kubernetes
 * sandbox with the repository's catalog, and HTTP helpers per demo user.
 *
 * @packageDocumentation
 */
export {
  inferenceTestConfig,
  startInferenceSandbox,
  startInferenceTestBackend,
  TENANT_NAMESPACES,
} from './startInferenceTestBackend';
export type {
  InferenceSandbox,
  InferenceTestBackend,
} from './startInferenceTestBackend';
export { loadCatalogEntities, membershipOf } from './catalogFixtures';
export { apiAs, apiKeyPublishRequest } from './requests';
export { actionContext, mockScaffolderAuth } from './actionContext';
export { irisSpec, qwenSpec } from './sampleSpecs';
export { tenantGroupEntity } from './tenantGroupEntity';
export { storedObject, storedObjects } from './storedObjects';
export { authWithActors, catalogUserInfo } from './permissionFramework';

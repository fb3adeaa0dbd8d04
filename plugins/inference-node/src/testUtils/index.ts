/**
 * Test utilities for packages that use the inference node library.
 *
 * @packageDocumentation
 */
export { clusterRegistryServiceMock } from './clusterRegistryServiceMock';
export type { ClusterRegistryMockOptions } from './clusterRegistryServiceMock';

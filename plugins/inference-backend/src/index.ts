/**
 * The inference backend plugin, and the permission conditions a policy needs to grant tenant
 * members their tenants' models.
 *
 * @packageDocumentation
 */
export { inferencePlugin as default } from './plugin';
export {
  inferenceModelConditions,
  createInferenceModelConditionalDecision,
} from './permissions/conditions';
export type { InferenceModelResource } from './permissions/resource';

// Cluster access and publication records, shared with the catalog module (entity provider) so it
// reads the same clusters the same way and interprets publications exactly as this plugin does.
export { readInferenceConfig } from './config';
export type { InferenceConfig } from './config';
export { createClusterRegistry } from './cluster/ClusterRegistry';
export type { ClusterRegistry } from './cluster/ClusterRegistry';
export type { ClusterClient, KubeObject, ListOptions } from './cluster/types';
export { readPublishRequest } from './publication/readPublishRequest';
export type { RecordedPublishRequest } from './publication/readPublishRequest';

/**
 * A test double of the Envoy Gateway + Envoy AI Gateway data path, fed by
 * the gateway objects of a Kubernetes API server.
 *
 * @packageDocumentation
 */

export { startGatewaySandbox, DEFAULT_GATEWAY } from './server';
export type { GatewaySandbox, GatewaySandboxOptions } from './server';
export { GatewayObjectCache } from './objects/objectCache';
export type { GatewayObjectCacheOptions } from './objects/objectCache';
export type { GatewayKind, KubeObject } from './objects/types';
export type { ResolveBackend } from './proxy/backends';
export { DESTINATION_HEADER, SERVED_BY_HEADER } from './proxy/forward';
export type { ResolveJwks } from './filters/remoteJwks';
export type { GatewayRef } from './routing/attachment';
export { KSERVE_PREDICTORS_METRICS_PATH } from './metrics/istioStats';

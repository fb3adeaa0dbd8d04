/**
 * The Kubernetes kinds the platform reads and writes, each at the version the portal uses (the
 * served storage versions of the CRDs pinned in scripts/lib/versions.sh). Use these instead of
 * apiVersion/kind literals so a version bump is one change.
 * @public
 */
export const KINDS = {
  namespace: { apiVersion: 'v1', kind: 'Namespace' },
  secret: { apiVersion: 'v1', kind: 'Secret' },
  inferenceService: {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
  },
  securityPolicy: {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'SecurityPolicy',
  },
  backendTrafficPolicy: {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'BackendTrafficPolicy',
  },
  backend: { apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'Backend' },
  aiServiceBackend: {
    apiVersion: 'aigateway.envoyproxy.io/v1beta1',
    kind: 'AIServiceBackend',
  },
  aiGatewayRoute: {
    apiVersion: 'aigateway.envoyproxy.io/v1beta1',
    kind: 'AIGatewayRoute',
  },
  httpRoute: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
  authorizationPolicy: {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
  },
} as const;

/** @public */
export type KindName = keyof typeof KINDS;

/** An apiVersion and kind, as in {@link KINDS}. @public */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

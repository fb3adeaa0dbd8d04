/** The subset of a Kubernetes object this package reads. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{
      kind: string;
      name: string;
      apiVersion?: string;
    }>;
  };
  spec?: any;
  status?: any;
  data?: Record<string, string>;
}

/** A kind the cache lists and watches, cluster-wide. */
export interface WatchedKind {
  /** Short key used by callers, e.g. `HTTPRoute`. */
  key: GatewayKind;
  /** API path prefix, `/api/v1` or `/apis/<group>/<version>`. */
  apiPath: string;
  /** Plural resource name. */
  plural: string;
  /**
   * The API server may not serve it (a cluster without Knative Serving):
   * a 404 counts as an empty list, checked again now and then.
   */
  optional?: boolean;
}

export type GatewayKind =
  | 'Gateway'
  | 'HTTPRoute'
  | 'AIGatewayRoute'
  | 'AIServiceBackend'
  | 'Backend'
  | 'HTTPRouteFilter'
  | 'SecurityPolicy'
  | 'BackendTrafficPolicy'
  | 'Secret'
  | 'Namespace'
  | 'KnativeRoute';

/**
 * Versions are the ones Envoy Gateway v1.9.0 and Envoy AI Gateway v1.1.0
 * serve as storage versions and the portal writes (see the golden YAMLs).
 * HTTPRouteFilter is read because AI Gateway's generated routes point at
 * them (ExtensionRef); Namespace because listeners select routes by
 * namespace labels (allowedRoutes).
 */
export const WATCHED_KINDS: WatchedKind[] = [
  {
    key: 'Gateway',
    apiPath: '/apis/gateway.networking.k8s.io/v1',
    plural: 'gateways',
  },
  {
    key: 'HTTPRoute',
    apiPath: '/apis/gateway.networking.k8s.io/v1',
    plural: 'httproutes',
  },
  {
    key: 'AIGatewayRoute',
    apiPath: '/apis/aigateway.envoyproxy.io/v1beta1',
    plural: 'aigatewayroutes',
  },
  {
    key: 'AIServiceBackend',
    apiPath: '/apis/aigateway.envoyproxy.io/v1beta1',
    plural: 'aiservicebackends',
  },
  {
    key: 'Backend',
    apiPath: '/apis/gateway.envoyproxy.io/v1alpha1',
    plural: 'backends',
  },
  {
    key: 'HTTPRouteFilter',
    apiPath: '/apis/gateway.envoyproxy.io/v1alpha1',
    plural: 'httproutefilters',
  },
  {
    key: 'SecurityPolicy',
    apiPath: '/apis/gateway.envoyproxy.io/v1alpha1',
    plural: 'securitypolicies',
  },
  {
    key: 'BackendTrafficPolicy',
    apiPath: '/apis/gateway.envoyproxy.io/v1alpha1',
    plural: 'backendtrafficpolicies',
  },
  { key: 'Secret', apiPath: '/api/v1', plural: 'secrets' },
  { key: 'Namespace', apiPath: '/api/v1', plural: 'namespaces' },
  {
    key: 'KnativeRoute',
    apiPath: '/apis/serving.knative.dev/v1',
    plural: 'routes',
    optional: true,
  },
];

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

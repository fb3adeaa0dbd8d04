/**
 * The Istio principal (SPIFFE path) of the Envoy proxies Envoy Gateway runs for a Gateway, in the
 * wildcard form Istio's AuthorizationPolicy accepts as a prefix match.
 *
 * Envoy Gateway names the proxy's ServiceAccount (like its Deployment and Service)
 * `envoy-<gateway namespace>-<gateway name>-<hash>`: `<namespace>/<name>` with `/` made `-`, cut to
 * 48 characters (a trailing `-` dropped), then the first 8 hex digits of its sha256
 * (envoyproxy/gateway v1.9.0 internal/infrastructure/kubernetes/proxy/resource.go
 * `ExpectedResourceHashedName`, internal/utils/misc.go `GetHashedName`). The proxies run in Envoy
 * Gateway's own namespace, which is the Gateway's on this platform (configs/envoy-gateway).
 * The hash is left as `*` so that the default survives a change of the hashing; setting
 * `inference.gateway.principal` to the exact name is stricter.
 */
export function envoyProxyPrincipal(gateway: {
  name: string;
  namespace: string;
}): string {
  const resourceName = `${gateway.namespace}-${gateway.name}`;
  const cut =
    resourceName.length > 48
      ? resourceName.slice(0, 48).replace(/-$/, '')
      : resourceName;
  return `cluster.local/ns/${gateway.namespace}/sa/envoy-${cut}-*`;
}

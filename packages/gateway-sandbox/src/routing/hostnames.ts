/**
 * Hostname handling of Envoy Gateway v1.9.0 and Envoy's virtual host
 * selection.
 */

/**
 * Gateway API wildcard matching as Envoy Gateway implements it
 * (envoyproxy/gateway v1.9.0 internal/gatewayapi/helpers.go
 * `wildcardHostnameMatchesHostname`): `*.example.com` matches any name that
 * ends in `.example.com` with at least one label before it (several labels
 * too), and a wildcard matches a strictly narrower wildcard.
 */
export function wildcardMatches(wildcard: string, hostname: string): boolean {
  const suffix = wildcard.slice(1);
  if (!hostname.startsWith('*')) {
    return hostname.endsWith(suffix) && hostname.length > suffix.length;
  }
  const hostnameSuffix = hostname.slice(1);
  if (!hostnameSuffix.endsWith(suffix)) return false;
  const rest = hostnameSuffix.slice(0, hostnameSuffix.length - suffix.length);
  return rest.length > 0 && rest.startsWith('.');
}

/**
 * The virtual-host names a route gets on one listener
 * (envoyproxy/gateway v1.9.0 internal/gatewayapi/helpers.go `computeHosts`):
 * the intersection of the route's and the listener's hostnames, minus the
 * hostnames of the other listeners on the same port (a more specific
 * listener owns its hostname). Returned sorted, as upstream's `sets.List`.
 */
export function computeHosts(
  routeHostnames: string[],
  listenerHostname: string | undefined,
  otherListenerHostnamesOnPort: string[],
): string[] {
  if (routeHostnames.length === 0) return [listenerHostname || '*'];
  const hosts = new Set<string>();
  for (const routeHostname of routeHostnames) {
    if (!listenerHostname) {
      hosts.add(routeHostname);
    } else if (listenerHostname === routeHostname) {
      hosts.add(routeHostname);
    } else if (
      listenerHostname.startsWith('*') &&
      routeHostname.startsWith('*')
    ) {
      if (wildcardMatches(routeHostname, listenerHostname))
        hosts.add(listenerHostname);
      if (wildcardMatches(listenerHostname, routeHostname))
        hosts.add(routeHostname);
    } else if (listenerHostname.startsWith('*')) {
      if (wildcardMatches(listenerHostname, routeHostname))
        hosts.add(routeHostname);
    } else if (routeHostname.startsWith('*')) {
      if (wildcardMatches(routeHostname, listenerHostname))
        hosts.add(listenerHostname);
    }
  }
  for (const other of otherListenerHostnamesOnPort) hosts.delete(other);
  return [...hosts].sort();
}

/**
 * Envoy's virtual host selection (envoyproxy/envoy
 * source/common/router/config_impl.cc `RouteMatcher::findVirtualHost`, as
 * documented for `VirtualHost.domains`): exact name first, then the longest
 * suffix wildcard (`*.example.com`), then the longest prefix wildcard
 * (`foo.*`), then `*`. Case-insensitive. The Host header is compared as sent,
 * port included: Envoy Gateway v1.9.0 sets no port stripping on the HTTP
 * connection manager (internal/xds/translator/listener.go).
 */
export function selectVirtualHost(
  domains: string[],
  host: string,
): string | undefined {
  const wanted = host.toLowerCase();
  const lower = domains.map(d => ({ domain: d, name: d.toLowerCase() }));
  const exact = lower.find(d => d.name === wanted);
  if (exact) return exact.domain;
  const bestBy = (candidates: typeof lower) =>
    candidates.sort((a, b) => b.name.length - a.name.length)[0]?.domain;
  const suffix = bestBy(
    lower.filter(
      d =>
        d.name.startsWith('*') &&
        d.name !== '*' &&
        wanted.endsWith(d.name.slice(1)) &&
        wanted.length > d.name.length - 1,
    ),
  );
  if (suffix) return suffix;
  const prefix = bestBy(
    lower.filter(
      d =>
        d.name.endsWith('*') &&
        d.name !== '*' &&
        wanted.startsWith(d.name.slice(0, -1)) &&
        wanted.length > d.name.length - 1,
    ),
  );
  if (prefix) return prefix;
  return lower.find(d => d.name === '*')?.domain;
}

import { GatewayObjectCache } from '../objects/objectCache';

/** Maps an upstream (hostname, port) to a base URL the double can reach. */
export type ResolveBackend = (
  hostname: string,
  port: number,
) => string | undefined;

export interface BackendChoice {
  index: number;
  ref: any;
}

/**
 * Weighted choice among a rule's backendRefs (weight defaults to 1, weight 0
 * never receives traffic), as Envoy's weighted clusters do.
 */
export function chooseBackendRef(
  rule: any,
  random: () => number = Math.random,
): BackendChoice | undefined {
  const refs: any[] = rule.backendRefs ?? [];
  const weighted = refs
    .map((ref, index) => ({ ref, index, weight: ref.weight ?? 1 }))
    .filter(r => r.weight > 0);
  const total = weighted.reduce((sum, r) => sum + r.weight, 0);
  let point = random() * total;
  for (const r of weighted) {
    point -= r.weight;
    if (point < 0) return { index: r.index, ref: r.ref };
  }
  return undefined;
}

export type UpstreamTarget =
  | { ok: true; baseUrl: string; hostname: string }
  | { ok: false; status: number; body: string };

/**
 * Where a backendRef sends traffic. An Envoy Gateway `Backend` uses its first
 * endpoint (fqdn hostname/port, or ip address/port); a core Service its
 * cluster DNS name and the ref's port. `resolveBackend` stands in for DNS and
 * the network: undefined gives Envoy's 503 `no healthy upstream`. A missing
 * Backend gives 500, as Envoy Gateway answers for a rule without valid
 * backends (internal/gatewayapi/route.go).
 */
export function resolveTarget(
  ref: any,
  routeNamespace: string,
  cache: GatewayObjectCache,
  resolveBackend: ResolveBackend,
): UpstreamTarget {
  const namespace = ref.namespace ?? routeNamespace;
  let hostname: string;
  let port: number;
  if (ref.group === 'gateway.envoyproxy.io' && ref.kind === 'Backend') {
    const backend = cache.get('Backend', namespace, ref.name);
    const endpoint = backend?.spec?.endpoints?.[0];
    if (!endpoint) return { ok: false, status: 500, body: '' };
    hostname = endpoint.fqdn?.hostname ?? endpoint.ip?.address;
    port = endpoint.fqdn?.port ?? endpoint.ip?.port;
  } else if (
    (ref.group ?? '') === '' &&
    (ref.kind ?? 'Service') === 'Service'
  ) {
    hostname = `${ref.name}.${namespace}.svc.cluster.local`;
    port = ref.port;
  } else {
    return {
      ok: false,
      status: 500,
      body: `gateway-sandbox: backendRef kind ${ref.kind} is not supported by this test double yet\n`,
    };
  }
  const baseUrl = hostname ? resolveBackend(hostname, port) : undefined;
  if (!baseUrl) return { ok: false, status: 503, body: 'no healthy upstream' };
  return { ok: true, baseUrl, hostname };
}

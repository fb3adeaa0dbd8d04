import { GatewayObjectCache } from '../objects/objectCache';
import { KubeObject } from '../objects/types';
import { weightedPick } from '../proxy/weightedPick';

/**
 * Tier 2 of the data path: what the gateway proxy's Istio sidecar does with
 * a request Envoy sends to a Knative Route's placeholder Service, with
 * net-istio in mesh-only mode as the platform installs it
 * (configs/kserve/knative-config.yaml; docs/platform.md "Knative models and
 * the mesh"). In Knative mode the published Backend's fqdn is the Route's
 * placeholder `<route>.<ns>.svc.cluster.local` (plugins/inference-backend
 * buildRouteObjects.ts `predictorBackend`), a ClusterIP Service without
 * endpoints; the sidecar routes it by Host with the mesh VirtualService
 * net-istio makes from the Route's traffic. Re-expressed from:
 *
 * - knative/serving knative-v1.23.0 pkg/reconciler/route/route.go
 *   `ReconcileKind`: until the traffic targets are ready (configureTraffic
 *   fails or gives nothing) the Route gets no placeholder Service and no
 *   KIngress; `status.traffic` is the assignment in force, rollout included
 *   (`GetRevisionTrafficTargets`), and stays as it was when a later
 *   generation fails;
 * - pkg/reconciler/route/traffic/traffic.go `addFlattenedTarget` (the
 *   default target holds every target, tagged or not; a tag's own target
 *   holds its entries) and `consolidate` (one split per revision, percents
 *   summed; a lone revision gets 100);
 * - pkg/reconciler/route/resources/ingress.go `makeIngressSpec`,
 *   `makeBaseIngressPath` (splits of percent 0 dropped; destination: the
 *   revision's Service `<revision>` in the Route's namespace, port 80 for
 *   http1) and the cluster-local tag host `<tag>-<route>` (config-network's
 *   default tag template);
 * - knative-extensions/net-istio knative-v1.22.0 (knative-v1.23.0 is not
 *   tagged; mesh-only code unchanged on main)
 *   pkg/reconciler/ingress/resources/virtual_service.go
 *   `MakeMeshVirtualService` (only `*.svc.cluster.local` hosts),
 *   `makeVirtualServiceRoute` (one destination per split, weight = percent),
 *   `makeMatch`/`hostPrefix` (authority prefix `<name>.<ns>`).
 *
 * The weighted pick is Envoy's (the sidecar is Envoy): weighted clusters.
 */

const CLUSTER_LOCAL =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\.cluster\.local$/;

/** Knative's http1 port of a revision's public Service (networking.ServicePort). */
const REVISION_PORT = 80;

export type MeshDestination =
  /** Not a Knative Route's name: the Service itself answers. */
  | { type: 'direct' }
  | { type: 'revision'; revision: string; hostname: string; port: number }
  /**
   * A Knative Route of that name without ready traffic: Knative made no
   * placeholder Service, so the name does not resolve and Envoy's cluster
   * has no host (503 `no healthy upstream`).
   */
  | { type: 'noTraffic'; route: string }
  /**
   * The Host (or port) matches no route of the mesh VirtualService: the
   * sidecar passes the connection through to the placeholder's cluster IP,
   * which has no endpoints, and the connection fails.
   */
  | { type: 'notRouted'; route: string };

interface TrafficSplit {
  revision: string;
  percent: number;
}

/**
 * Where the sidecar sends a request Envoy sent to `hostname:port` with
 * `authority` as its Host, given the Knative Routes in the cache.
 */
export function resolveMeshDestination(
  cache: GatewayObjectCache,
  hostname: string,
  port: number,
  authority: string,
  random: () => number = Math.random,
): MeshDestination {
  const parsed = CLUSTER_LOCAL.exec(hostname);
  if (!parsed) return { type: 'direct' };
  const name = parsed[1];
  const namespace = parsed[3];
  const target = knativeTarget(cache, namespace, name);
  if (!target) return { type: 'direct' };
  if (target.splits.length === 0)
    return { type: 'noTraffic', route: target.route.metadata.name };
  if (port !== REVISION_PORT || !hostMatches(authority, name, namespace))
    return { type: 'notRouted', route: target.route.metadata.name };
  const split = weightedPick(target.splits, s => s.percent, random);
  if (!split) return { type: 'noTraffic', route: target.route.metadata.name };
  return {
    type: 'revision',
    revision: split.revision,
    hostname: `${split.revision}.${namespace}.svc.cluster.local`,
    port: REVISION_PORT,
  };
}

/**
 * The name of the Knative Route whose placeholder Service `hostname` would
 * be, when that Route has no ready traffic (so no such Service: the name does
 * not resolve); undefined otherwise.
 */
export function knativeRouteWithoutTraffic(
  cache: GatewayObjectCache,
  hostname: string,
): string | undefined {
  const parsed = CLUSTER_LOCAL.exec(hostname);
  if (!parsed) return undefined;
  const target = knativeTarget(cache, parsed[3], parsed[1]);
  return target && target.splits.length === 0
    ? target.route.metadata.name
    : undefined;
}

/**
 * The Route whose placeholder Service is `<name>`: the Route `<name>` (its
 * default target), else a Route with a tagged target `<tag>-<route>` = name.
 */
function knativeTarget(
  cache: GatewayObjectCache,
  namespace: string,
  name: string,
): { route: KubeObject; splits: TrafficSplit[] } | undefined {
  const route = cache.get('KnativeRoute', namespace, name);
  if (route) return { route, splits: consolidate(trafficOf(route)) };
  for (const candidate of cache.list('KnativeRoute', namespace)) {
    const tagged = trafficOf(candidate).filter(
      t => t.tag && `${t.tag}-${candidate.metadata.name}` === name,
    );
    if (tagged.length > 0)
      return { route: candidate, splits: consolidate(tagged) };
  }
  return undefined;
}

function trafficOf(route: KubeObject): any[] {
  const traffic = route.status?.traffic;
  return Array.isArray(traffic)
    ? traffic.filter(t => typeof t?.revisionName === 'string')
    : [];
}

/** traffic.go `consolidate`, then ingress.go's drop of 0 % splits. */
function consolidate(entries: any[]): TrafficSplit[] {
  const byRevision = new Map<string, number>();
  for (const entry of entries) {
    const percent = Number(entry.percent ?? 0);
    byRevision.set(
      entry.revisionName,
      (byRevision.get(entry.revisionName) ?? 0) +
        (Number.isFinite(percent) ? percent : 0),
    );
  }
  const splits = [...byRevision].map(([revision, percent]) => ({
    revision,
    percent: byRevision.size === 1 ? 100 : percent,
  }));
  return splits.filter(s => s.percent > 0);
}

/**
 * The sidecar's virtual host for the placeholder Service (its cluster-local
 * names, with or without `:80`) and the VirtualService's authority prefix
 * `<name>.<ns>`. Istio's virtual host domains were not read upstream; the
 * names in the same namespace only (`<name>`) are left out, the gateway
 * proxy living in another namespace.
 */
function hostMatches(authority: string, name: string, namespace: string) {
  const host = authority.toLowerCase().replace(/:80$/, '');
  return [
    `${name}.${namespace}`,
    `${name}.${namespace}.svc`,
    `${name}.${namespace}.svc.cluster.local`,
  ].includes(host);
}

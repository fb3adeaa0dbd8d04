import { GatewayObjectCache } from '../objects/objectCache';
import { KubeObject } from '../objects/types';
import {
  GatewayRef,
  acceptedParentRefs,
  listenerAllowsRoute,
} from './attachment';
import { computeHosts, selectVirtualHost } from './hostnames';
import { matchesRequest } from './matchRequest';
import { sortByPrecedence } from './precedence';
import { NormalisedMatch, RequestView, RouteEntry } from './types';

/** The route configuration of one Gateway port: virtual hosts by domain. */
export interface RouteTable {
  virtualHosts: Map<string, RouteEntry[]>;
}

/**
 * Builds what Envoy Gateway v1.9.0 would send Envoy for the plain-HTTP
 * listeners of one Gateway on one port (internal/gatewayapi/route.go,
 * internal/xds/translator/translator.go: one virtual host per computed
 * hostname, routes sorted by internal/gatewayapi/sort.go). HTTPRoutes are
 * taken oldest first, then by namespace/name
 * (internal/gatewayapi/resource/resource.go).
 */
export function buildRouteTable(
  cache: GatewayObjectCache,
  gatewayRef: GatewayRef,
  port: number,
): RouteTable {
  const virtualHosts = new Map<string, RouteEntry[]>();
  const gateway = cache.get('Gateway', gatewayRef.namespace, gatewayRef.name);
  const listeners: any[] = (gateway?.spec?.listeners ?? []).filter(
    (l: any) => l.port === port && l.protocol === 'HTTP',
  );
  for (const route of sortRoutes(cache.list('HTTPRoute'))) {
    const routeNamespace = route.metadata.namespace ?? '';
    for (const parentRef of acceptedParentRefs(route, gatewayRef)) {
      for (const listener of listeners) {
        if (parentRef.sectionName && parentRef.sectionName !== listener.name)
          continue;
        if (parentRef.port && parentRef.port !== listener.port) continue;
        if (
          !listenerAllowsRoute(
            listener,
            gatewayRef.namespace,
            routeNamespace,
            cache,
          )
        )
          continue;
        const others = listeners
          .filter(l => l !== listener && l.hostname)
          .map(l => l.hostname as string);
        for (const hostname of computeHosts(
          route.spec?.hostnames ?? [],
          listener.hostname,
          others,
        )) {
          const entries = virtualHosts.get(hostname) ?? [];
          entries.push(...routeEntries(route, hostname));
          virtualHosts.set(hostname, entries);
        }
      }
    }
  }
  for (const [hostname, entries] of virtualHosts) {
    virtualHosts.set(hostname, sortByPrecedence(entries));
  }
  return { virtualHosts };
}

/** The first route of the matching virtual host that the request satisfies. */
export function selectRoute(
  table: RouteTable,
  request: RequestView,
): RouteEntry | undefined {
  const domain = selectVirtualHost(
    [...table.virtualHosts.keys()],
    request.host,
  );
  if (domain === undefined) return undefined;
  return table.virtualHosts
    .get(domain)!
    .find(entry => matchesRequest(entry.match, request));
}

function sortRoutes(routes: KubeObject[]): KubeObject[] {
  const key = (r: KubeObject) => r.metadata.creationTimestamp ?? '';
  return [...routes].sort((a, b) => {
    if (key(a) !== key(b)) return key(a) < key(b) ? -1 : 1;
    const ns = (a.metadata.namespace ?? '').localeCompare(
      b.metadata.namespace ?? '',
    );
    return ns !== 0 ? ns : a.metadata.name.localeCompare(b.metadata.name);
  });
}

function routeEntries(route: KubeObject, hostname: string): RouteEntry[] {
  const rules: any[] = route.spec?.rules ?? [];
  return rules.flatMap((rule, ruleIndex) => {
    const matches: any[] = rule.matches?.length ? rule.matches : [{}];
    return matches.map((m, index) => ({
      route,
      hostname,
      ruleIndex,
      // EG names a rule without matches `.../match/-1` (route.go).
      matchIndex: rule.matches?.length ? index : -1,
      ruleName: rule.name,
      rule,
      match: normaliseMatch(m),
    }));
  });
}

/** HTTPRouteMatch to the IR shape; defaults as the Gateway API CRD sets them. */
export function normaliseMatch(match: any): NormalisedMatch {
  const headers = (match.headers ?? []).map((h: any) => ({
    name: String(h.name).toLowerCase(),
    type: h.type ?? 'Exact',
    value: h.value,
  }));
  if (match.method)
    headers.push({ name: ':method', type: 'Exact', value: match.method });
  return {
    path: {
      type: match.path?.type ?? 'PathPrefix',
      value: match.path?.value ?? '/',
    },
    headers,
    queryParams: (match.queryParams ?? []).map((q: any) => ({
      name: q.name,
      type: q.type ?? 'Exact',
      value: q.value,
    })),
  };
}

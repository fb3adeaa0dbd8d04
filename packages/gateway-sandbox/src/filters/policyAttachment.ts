import { GatewayObjectCache } from '../objects/objectCache';
import { GatewayKind, KubeObject } from '../objects/types';
import { GatewayRef } from '../routing/attachment';
import { RouteEntry } from '../routing/types';

/**
 * The Envoy Gateway policy of one kind that applies to a route rule, as
 * Envoy Gateway v1.9.0 picks SecurityPolicies
 * (internal/gatewayapi/securitypolicy.go) and BackendTrafficPolicies
 * (internal/gatewayapi/backendtrafficpolicy.go): a policy targeting the
 * rule (targetRef sectionName = rule name) wins over one targeting the
 * HTTPRoute, which wins over one targeting the Gateway; among policies at
 * the same level the oldest wins (creation time, then namespace/name), the
 * others being Conflicted. `targetSelectors` and policy merging
 * (`mergeType`) are not reproduced.
 */
export function findAttachedPolicy(
  cache: GatewayObjectCache,
  kind: Extract<GatewayKind, 'SecurityPolicy' | 'BackendTrafficPolicy'>,
  entry: RouteEntry,
  gateway: GatewayRef,
): KubeObject | undefined {
  const routeNamespace = entry.route.metadata.namespace;
  const routePolicies = oldestFirst(cache.list(kind, routeNamespace));
  const forRule = routePolicies.find(p =>
    targets(p).some(
      t =>
        isRouteRef(t, entry) &&
        t.sectionName &&
        t.sectionName === entry.ruleName,
    ),
  );
  if (forRule) return forRule;
  const forRoute = routePolicies.find(p =>
    targets(p).some(t => isRouteRef(t, entry) && !t.sectionName),
  );
  if (forRoute) return forRoute;
  return oldestFirst(cache.list(kind, gateway.namespace)).find(p =>
    targets(p).some(
      t =>
        (t.group ?? '') === 'gateway.networking.k8s.io' &&
        t.kind === 'Gateway' &&
        t.name === gateway.name &&
        !t.sectionName,
    ),
  );
}

function targets(policy: KubeObject): any[] {
  const spec = policy.spec ?? {};
  return [
    ...(spec.targetRefs ?? []),
    ...(spec.targetRef ? [spec.targetRef] : []),
  ];
}

function isRouteRef(target: any, entry: RouteEntry): boolean {
  return (
    (target.group ?? '') === 'gateway.networking.k8s.io' &&
    target.kind === 'HTTPRoute' &&
    target.name === entry.route.metadata.name
  );
}

function oldestFirst(policies: KubeObject[]): KubeObject[] {
  const key = (p: KubeObject) =>
    `${p.metadata.creationTimestamp ?? ''}\u0000${p.metadata.namespace}/${
      p.metadata.name
    }`;
  return [...policies].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

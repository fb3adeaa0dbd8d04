import { GatewayObjectCache } from '../objects/objectCache';
import { KubeObject } from '../objects/types';

/** Envoy Gateway's controller name in route status (EG v1.9.0 default). */
export const EG_CONTROLLER_NAME =
  'gateway.envoyproxy.io/gatewayclass-controller';

export interface GatewayRef {
  namespace: string;
  name: string;
}

/**
 * The parentRefs of `route` that point at `gateway` and that Envoy Gateway
 * reported Accepted=True for (route `status.parents[]` written under EG's
 * controller name). A route that is not Accepted for a parent gets no
 * routes on it (envoyproxy/gateway v1.9.0 internal/gatewayapi/route.go
 * only emits IR for accepted parent refs).
 */
export function acceptedParentRefs(
  route: KubeObject,
  gateway: GatewayRef,
): any[] {
  const namespace = route.metadata.namespace;
  const refs: any[] = route.spec?.parentRefs ?? [];
  return refs.filter(ref => {
    if (
      (ref.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io'
    )
      return false;
    if ((ref.kind ?? 'Gateway') !== 'Gateway') return false;
    if (
      ref.name !== gateway.name ||
      (ref.namespace ?? namespace) !== gateway.namespace
    ) {
      return false;
    }
    const parents: any[] = route.status?.parents ?? [];
    return parents.some(
      p =>
        p.controllerName === EG_CONTROLLER_NAME &&
        p.parentRef?.name === ref.name &&
        (p.parentRef?.namespace ?? namespace) === gateway.namespace &&
        (p.parentRef?.sectionName ?? '') === (ref.sectionName ?? '') &&
        (p.parentRef?.port ?? 0) === (ref.port ?? 0) &&
        (p.conditions ?? []).some(
          (c: any) => c.type === 'Accepted' && c.status === 'True',
        ),
    );
  });
}

/**
 * Whether a listener admits an HTTPRoute from `routeNamespace`
 * (Gateway API `allowedRoutes`; EG v1.9.0 internal/gatewayapi/route.go
 * checks it per listener). `from` defaults to Same; Selector uses the
 * Namespace's labels (matchLabels and matchExpressions).
 */
export function listenerAllowsRoute(
  listener: any,
  gatewayNamespace: string,
  routeNamespace: string,
  cache: GatewayObjectCache,
): boolean {
  const kinds: any[] | undefined = listener.allowedRoutes?.kinds;
  if (kinds && kinds.length > 0 && !kinds.some(k => k.kind === 'HTTPRoute'))
    return false;
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNamespace === gatewayNamespace;
  if (from !== 'Selector') return false;
  const labels =
    cache.get('Namespace', undefined, routeNamespace)?.metadata.labels ?? {};
  return selectorMatches(
    listener.allowedRoutes.namespaces.selector ?? {},
    labels,
  );
}

function selectorMatches(
  selector: any,
  labels: Record<string, string>,
): boolean {
  const matchLabels: Record<string, string> = selector.matchLabels ?? {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v))
    return false;
  return (selector.matchExpressions ?? []).every((e: any) => {
    const has = e.key in labels;
    switch (e.operator) {
      case 'In':
        return has && e.values.includes(labels[e.key]);
      case 'NotIn':
        return !has || !e.values.includes(labels[e.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

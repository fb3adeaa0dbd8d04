import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { Json, specOf } from '../controllerKit';

/**
 * The HTTPRoute and HTTPRouteFilters Envoy AI Gateway generates for an AIGatewayRoute, re-expressed
 * from envoyproxy/ai-gateway v1.1.0 internal/controller/ai_gateway_route.go (`newHTTPRoute`,
 * `generateHTTPRouteFilters`, `buildPriorityAnnotation`) and api/v1beta1/ai_gateway_route_helper.go
 * (`GetTimeoutsOrDefault`, `GetNamespace`, `IsInferencePool`).
 */

export const AI_GATEWAY_API_VERSION = 'aigateway.envoyproxy.io/v1beta1';
export const HTTP_ROUTE_API_VERSION = 'gateway.networking.k8s.io/v1';
export const HTTP_ROUTE_FILTER_API_VERSION = 'gateway.envoyproxy.io/v1alpha1';

/** The controller's `--rootPrefix` flag, default `/` (cmd/controller/main.go). */
const ROOT_PREFIX = '/';
/** AI Gateway's request timeout when a rule sets none (60s instead of Envoy Gateway's 15s). */
const DEFAULT_REQUEST_TIMEOUT = '60s';
const INFERENCE_POOL = {
  group: 'inference.networking.k8s.io',
  kind: 'InferencePool',
};
/** Annotations the controller adds to every generated HTTPRoute. */
export const BACKEND_REF_PRIORITY_ANNOTATION =
  'gateway.envoyproxy.io/backend-ref-priority';
export const AI_GATEWAY_GENERATED_ANNOTATION =
  'gateway.envoyproxy.io/ai-gateway-generated';

const NOT_FOUND_BODY =
  'No matching route found. It is likely because the model specified in your request is not configured in the Gateway.';

export const hostRewriteFilterName = (route: string) =>
  `ai-eg-host-rewrite-${route}`;
export const routeNotFoundFilterName = (route: string) =>
  `ai-eg-route-not-found-response-${route}`;

/** One `spec.rules[].backendRefs[]` entry of an AIGatewayRoute. */
export interface AIGatewayRouteBackendRef extends Json {
  name: string;
  namespace?: string;
  group?: string;
  kind?: string;
  weight?: number;
  priority?: number;
}

export function rulesOf(route: KubeObject): Json[] {
  const rules = specOf(route).rules;
  return Array.isArray(rules) ? rules.filter(isPlainObject) : [];
}

export function backendRefsOf(rule: Json): AIGatewayRouteBackendRef[] {
  const refs = rule.backendRefs;
  return Array.isArray(refs)
    ? (refs.filter(
        r => isPlainObject(r) && typeof r.name === 'string',
      ) as AIGatewayRouteBackendRef[])
    : [];
}

/** The namespace a backendRef points into: its own, else the route's (`GetNamespace`). */
export function backendNamespace(
  ref: AIGatewayRouteBackendRef,
  routeNamespace: string,
): string {
  return ref.namespace ? ref.namespace : routeNamespace;
}

export function isInferencePoolRef(ref: AIGatewayRouteBackendRef): boolean {
  return ref.group === INFERENCE_POOL.group && ref.kind === INFERENCE_POOL.kind;
}

/** The two HTTPRouteFilters every AIGatewayRoute gets, without owner references. */
export function generatedFilters(route: KubeObject): KubeObject[] {
  const { name, namespace } = route.metadata;
  const filter = (filterName: string, spec: Json): KubeObject => ({
    apiVersion: HTTP_ROUTE_FILTER_API_VERSION,
    kind: 'HTTPRouteFilter',
    metadata: { name: filterName, namespace },
    spec,
  });
  return [
    filter(hostRewriteFilterName(name!), {
      urlRewrite: { hostname: { type: 'Backend' } },
    }),
    filter(routeNotFoundFilterName(name!), {
      directResponse: { statusCode: 404, body: { inline: NOT_FOUND_BODY } },
    }),
  ];
}

function extensionRefFilter(filterName: string): Json {
  return {
    type: 'ExtensionRef',
    extensionRef: {
      group: 'gateway.envoyproxy.io',
      kind: 'HTTPRouteFilter',
      name: filterName,
    },
  };
}

/** A rule's timeouts with the request timeout defaulted to 60s (`GetTimeoutsOrDefault`). */
function timeoutsOrDefault(rule: Json): Json {
  const timeouts = isPlainObject(rule.timeouts) ? rule.timeouts : undefined;
  if (!timeouts) return { request: DEFAULT_REQUEST_TIMEOUT };
  if (timeouts.request === undefined) {
    return { ...timeouts, request: DEFAULT_REQUEST_TIMEOUT };
  }
  return timeouts;
}

/** `<rule index>:<backend name>:<priority>` for every backendRef, comma-separated. */
export function priorityAnnotation(route: KubeObject): string {
  return rulesOf(route)
    .flatMap((rule, i) =>
      backendRefsOf(rule).map(ref => `${i}:${ref.name}:${ref.priority ?? 0}`),
    )
    .join(',');
}

/**
 * Resolves an AIServiceBackend reference to the backendRef the HTTPRoute gets; throws with the
 * controller's error message when it cannot.
 */
export type BackendResolver = (
  ref: AIGatewayRouteBackendRef,
) => Json & { name: string };

function httpBackendRef(
  ref: AIGatewayRouteBackendRef,
  routeNamespace: string,
  resolve: BackendResolver,
): Json {
  const weight = ref.weight === undefined ? {} : { weight: ref.weight };
  if (isInferencePoolRef(ref)) {
    return {
      group: ref.group,
      kind: ref.kind,
      name: ref.name,
      namespace: backendNamespace(ref, routeNamespace),
      ...weight,
    };
  }
  return { ...resolve(ref), ...weight };
}

/**
 * The HTTPRoute `spec.rules`: one rule per AIGatewayRoute rule (its header matches on the root
 * prefix, the host-rewrite filter, the resolved backendRefs, the defaulted timeouts), then the
 * `route-not-found` rule answering 404 through the other filter.
 */
export function generatedRules(
  route: KubeObject,
  resolve: BackendResolver,
): Json[] {
  const { name, namespace } = route.metadata;
  const rules: Json[] = rulesOf(route).map(rule => {
    const backendRefs = backendRefsOf(rule).map(ref =>
      httpBackendRef(ref, namespace!, resolve),
    );
    const matches = Array.isArray(rule.matches)
      ? rule.matches.filter(isPlainObject).map(match => ({
          ...(match.headers === undefined ? {} : { headers: match.headers }),
          path: { value: ROOT_PREFIX },
        }))
      : [];
    return {
      ...(rule.name === undefined ? {} : { name: rule.name }),
      ...(backendRefs.length > 0 ? { backendRefs } : {}),
      ...(matches.length > 0 ? { matches } : {}),
      filters: [extensionRefFilter(hostRewriteFilterName(name!))],
      timeouts: timeoutsOrDefault(rule),
    };
  });
  rules.push({
    name: 'route-not-found',
    matches: [{ path: { value: ROOT_PREFIX } }],
    filters: [extensionRefFilter(routeNotFoundFilterName(name!))],
  });
  return rules;
}

/**
 * Writes what `newHTTPRoute` sets into `target` (a new or the existing HTTPRoute): rules,
 * labels and annotations of the AIGatewayRoute merged over the target's, the two annotations the
 * controller adds, parentRefs and hostnames. Other fields of the target stay as they are.
 */
export function applyGeneratedRoute(
  target: KubeObject,
  route: KubeObject,
  resolve: BackendResolver,
): KubeObject {
  const rules = generatedRules(route, resolve);
  const spec = { ...specOf(target), rules } as Json;
  const source = specOf(route);
  delete spec.parentRefs;
  delete spec.hostnames;
  if (source.parentRefs !== undefined) spec.parentRefs = source.parentRefs;
  if (source.hostnames !== undefined) spec.hostnames = source.hostnames;
  const labels = { ...target.metadata.labels, ...route.metadata.labels };
  const metadata: KubeObject['metadata'] = {
    ...target.metadata,
    labels,
    annotations: {
      ...target.metadata.annotations,
      ...route.metadata.annotations,
      [BACKEND_REF_PRIORITY_ANNOTATION]: priorityAnnotation(route),
      [AI_GATEWAY_GENERATED_ANNOTATION]: 'true',
    },
  };
  // Go's empty label map is not serialised; neither is ours.
  if (Object.keys(labels).length === 0) delete metadata.labels;
  return { ...target, metadata, spec };
}

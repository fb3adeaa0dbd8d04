import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { condition, Condition } from '../conditions';
import { ControllerClient } from '../controllerClient';
import { ENVOY_GATEWAY_CONTROLLER } from './httpRouteStatus';

/**
 * The `status.ancestors` Envoy Gateway writes on a SecurityPolicy or BackendTrafficPolicy that
 * targets routes, re-expressed from envoyproxy/gateway v1.9.0 internal/gatewayapi/securitypolicy.go
 * and backendtrafficpolicy.go (`processSecurityPolicyForRoute`, `resolveSecurityPolicyRouteTargetRef`
 * and their BackendTrafficPolicy twins), helpers.go (`getAncestorRefForPolicy`) and
 * status/policy.go (`SetAcceptedForPolicyAncestors`):
 *
 * - A target route that does not exist is skipped: it adds no ancestor and no condition.
 * - An existing target route adds one ancestor per parentRef: the parent Gateway (group, kind,
 *   namespace, name, sectionName), not the route.
 * - Policies of a kind are taken oldest first (creationTimestamp, then namespace/name,
 *   internal/gatewayapi/resource/resource.go); a later one targeting a route an earlier one already
 *   attached to gets `Accepted=False` reason `Conflicted`.
 * - A policy that ends with no ancestor gets no status write at all (the runner stores only
 *   policies with ancestors, internal/gatewayapi/runner/runner.go), so it keeps whatever status
 *   it had.
 *
 * Policies targeting Gateways name the Gateway as ancestor, assumed to exist like route parents.
 */

type Json = Record<string, unknown>;

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);
const ROUTE_API_VERSIONS: Record<string, string> = {
  HTTPRoute: 'gateway.networking.k8s.io/v1',
  GRPCRoute: 'gateway.networking.k8s.io/v1',
};

interface TargetRef extends Json {
  group?: string;
  kind: string;
  name: string;
  sectionName?: string;
}

/** `spec.targetRefs` plus the deprecated `spec.targetRef`, in that order. */
export function targetRefsOf(policy: KubeObject): TargetRef[] {
  const spec = isPlainObject(policy.spec) ? policy.spec : {};
  const refs = [
    ...(isPlainObject(spec.targetRef) ? [spec.targetRef] : []),
    ...(Array.isArray(spec.targetRefs)
      ? spec.targetRefs.filter(isPlainObject)
      : []),
  ];
  return refs.filter(
    (r): r is Json & TargetRef =>
      typeof r.kind === 'string' && typeof r.name === 'string',
  );
}

/** Upstream's processing order of policies of one kind. */
export function comparePolicies(a: KubeObject, b: KubeObject): number {
  const byTime = (a.metadata.creationTimestamp ?? '').localeCompare(
    b.metadata.creationTimestamp ?? '',
  );
  if (byTime !== 0) return byTime;
  const byNamespace = (a.metadata.namespace ?? '').localeCompare(
    b.metadata.namespace ?? '',
  );
  return byNamespace !== 0
    ? byNamespace
    : a.metadata.name!.localeCompare(b.metadata.name!);
}

function gatewayAncestor(namespace: string, parentRef: Json): Json {
  return {
    group: 'gateway.networking.k8s.io',
    kind: 'Gateway',
    namespace:
      typeof parentRef.namespace === 'string' ? parentRef.namespace : namespace,
    name: parentRef.name,
    ...(parentRef.sectionName === undefined
      ? {}
      : { sectionName: parentRef.sectionName }),
  };
}

function parentGatewaysOf(route: KubeObject): Json[] {
  const spec = isPlainObject(route.spec) ? route.spec : {};
  const parents = Array.isArray(spec.parentRefs)
    ? spec.parentRefs.filter(isPlainObject)
    : [];
  return parents
    .filter(p => p.kind === undefined || p.kind === 'Gateway')
    .map(p => gatewayAncestor(route.metadata.namespace!, p));
}

/**
 * The status of `policy`, or undefined when upstream would not write one. `earlier` are the
 * policies of the same kind processed before it.
 */
export function policyStatus(
  client: ControllerClient,
  policy: KubeObject,
  earlier: KubeObject[],
): Json | undefined {
  const namespace = policy.metadata.namespace!;
  const generation = policy.metadata.generation;
  const attachedByEarlier = new Set(
    earlier.flatMap(p =>
      targetRefsOf(p)
        .filter(t => ROUTE_KINDS.has(t.kind) && t.sectionName === undefined)
        .map(t => `${t.kind}/${t.name}`),
    ),
  );
  const accepted = condition(
    'Accepted',
    'True',
    'Accepted',
    'Policy has been accepted.',
    generation,
  );
  const ancestors: Json[] = [];
  const add = (ancestorRef: Json, acceptance: Condition) =>
    ancestors.push({
      ancestorRef,
      controllerName: ENVOY_GATEWAY_CONTROLLER,
      conditions: [acceptance],
    });
  for (const target of targetRefsOf(policy)) {
    if (target.kind === 'Gateway') {
      add(gatewayAncestor(namespace, target), accepted);
      continue;
    }
    if (!ROUTE_KINDS.has(target.kind)) continue;
    const route = client.get(
      ROUTE_API_VERSIONS[target.kind],
      target.kind,
      namespace,
      target.name,
    );
    if (!route) continue;
    const conflicted =
      target.sectionName === undefined &&
      attachedByEarlier.has(`${target.kind}/${target.name}`);
    const acceptance = conflicted
      ? condition(
          'Accepted',
          'False',
          'Conflicted',
          `Unable to target ${target.kind} ${target.name}, another ${policy.kind} has already attached to it`,
          generation,
        )
      : accepted;
    for (const ancestor of parentGatewaysOf(route)) add(ancestor, acceptance);
  }
  // At most 16 ancestors are kept (the CRD's limit).
  return ancestors.length === 0
    ? undefined
    : { ancestors: ancestors.slice(0, 16) };
}

import { isPlainObject } from '../schema/structuralValidator';
import { KubeObject } from '../store/types';
import { condition } from './conditions';

type Json = Record<string, unknown>;

/** Envoy Gateway's controller name, as it appears in route and policy status. */
export const ENVOY_GATEWAY_CONTROLLER =
  'gateway.envoyproxy.io/gatewayclass-controller';

/** The `Accepted=True` condition these controllers report. */
function accepted(message: string, generation: number | undefined) {
  return condition('Accepted', 'True', 'Accepted', message, generation);
}

function specOf(object: KubeObject): Json {
  return isPlainObject(object.spec) ? object.spec : {};
}

/** HTTPRoute: one `status.parents[]` entry per parentRef, Accepted and ResolvedRefs. */
function routeParentsStatus(route: KubeObject): Json {
  const generation = route.metadata.generation;
  const parentRefs = Array.isArray(specOf(route).parentRefs)
    ? (specOf(route).parentRefs as Json[])
    : [];
  return {
    parents: parentRefs.map(parentRef => ({
      parentRef,
      controllerName: ENVOY_GATEWAY_CONTROLLER,
      conditions: [
        accepted('Route is accepted', generation),
        condition(
          'ResolvedRefs',
          'True',
          'ResolvedRefs',
          'Resolved all the Object references for the Route',
          generation,
        ),
      ],
    })),
  };
}

/** Envoy Gateway policies: one `status.ancestors[]` entry per target reference. */
function policyAncestorsStatus(policy: KubeObject): Json {
  const spec = specOf(policy);
  const targets = [
    ...(Array.isArray(spec.targetRefs) ? (spec.targetRefs as Json[]) : []),
    ...(isPlainObject(spec.targetRef) ? [spec.targetRef] : []),
  ];
  return {
    ancestors: targets.slice(0, 16).map(target => ({
      ancestorRef: {
        group: target.group,
        kind: target.kind,
        name: target.name,
        namespace: policy.metadata.namespace,
        ...(target.sectionName ? { sectionName: target.sectionName } : {}),
      },
      controllerName: ENVOY_GATEWAY_CONTROLLER,
      conditions: [
        accepted('Policy has been accepted.', policy.metadata.generation),
      ],
    })),
  };
}

function acceptedConditions(message: string) {
  return (object: KubeObject): Json => ({
    conditions: [accepted(message, object.metadata.generation)],
  });
}

/**
 * Kinds whose controller only reports acceptance, keyed by resource
 * (`<plural>.<group>`), each with the status shape of its CRD.
 */
export const ACCEPTED_STATUS_BUILDERS: Record<
  string,
  (object: KubeObject) => Json
> = {
  'httproutes.gateway.networking.k8s.io': routeParentsStatus,
  'aigatewayroutes.aigateway.envoyproxy.io': acceptedConditions(
    'AI Gateway Route reconciled successfully',
  ),
  'securitypolicies.gateway.envoyproxy.io': policyAncestorsStatus,
  'backendtrafficpolicies.gateway.envoyproxy.io': policyAncestorsStatus,
  'backends.gateway.envoyproxy.io': acceptedConditions(
    'The Backend was accepted',
  ),
  'aiservicebackends.aigateway.envoyproxy.io': acceptedConditions(
    'AIServiceBackend reconciled successfully',
  ),
};

import { KubeObject } from '../../store/types';
import { ControllerClient, errorMessage } from '../controllerClient';
import { specOf } from '../controllerKit';
import { controllerReference } from '../ownerReferences';
import { isReferencePermitted } from '../referenceGrants';
import {
  AI_GATEWAY_API_VERSION,
  AIGatewayRouteBackendRef,
  applyGeneratedRoute,
  backendNamespace,
  BackendResolver,
  backendRefsOf,
  generatedFilters,
  HTTP_ROUTE_API_VERSION,
  HTTP_ROUTE_FILTER_API_VERSION,
  isInferencePoolRef,
  rulesOf,
} from './generatedHttpRoute';

/**
 * The writing half of the AIGatewayRoute controller: envoyproxy/ai-gateway v1.1.0
 * internal/controller/ai_gateway_route.go `syncAIGatewayRoute` (filters created when missing, the
 * HTTPRoute created or updated with create/update calls, never deleted), `validateAndGetBackend`
 * and internal/controller/referencegrant.go for cross-namespace references. Errors carry
 * upstream's messages, which end up in the NotAccepted condition.
 */

const AI_GATEWAY_GROUP = 'aigateway.envoyproxy.io';

/** The error text upstream returns when a cross-namespace reference has no ReferenceGrant. */
function crossNamespaceError(
  from: string,
  kind: string,
  name: string,
  to: string,
) {
  return new Error(
    `cross-namespace reference from AIGatewayRoute in namespace ${from} to ${kind} ${name} in namespace ${to} is not permitted: ` +
      `no valid ReferenceGrant found in namespace ${to}. ` +
      `A ReferenceGrant must allow AIGatewayRoute from namespace ${from} to reference ${kind} in namespace ${to}`,
  );
}

/** Resolves the route's AIServiceBackend references to their `spec.backendRef`s. */
function backendResolver(
  client: ControllerClient,
  route: KubeObject,
): BackendResolver {
  const routeNamespace = route.metadata.namespace!;
  const permitted = (kind: string, namespace: string) =>
    isReferencePermitted(
      client,
      {
        group: AI_GATEWAY_GROUP,
        kind: 'AIGatewayRoute',
        namespace: routeNamespace,
      },
      { group: AI_GATEWAY_GROUP, kind, namespace },
    );
  return (ref: AIGatewayRouteBackendRef) => {
    const namespace = backendNamespace(ref, routeNamespace);
    const described = `${ref.name}.${namespace}`;
    const fail = (cause: string) => {
      throw new Error(`failed to get AIServiceBackend ${described}: ${cause}`);
    };
    if (!permitted('AIServiceBackend', namespace)) {
      fail(
        crossNamespaceError(
          routeNamespace,
          'AIServiceBackend',
          ref.name,
          namespace,
        ).message,
      );
    }
    const backend = client.get(
      AI_GATEWAY_API_VERSION,
      'AIServiceBackend',
      namespace,
      ref.name,
    );
    if (!backend) fail(`AIServiceBackend ${described} not found`);
    const backendRef = { ...(specOf(backend!).backendRef as { name: string }) };
    // The Backend of an AIServiceBackend in another namespace lives there too.
    const explicit = backendRef as { namespace?: string };
    if (explicit.namespace === undefined && namespace !== routeNamespace) {
      explicit.namespace = namespace;
    }
    return backendRef;
  };
}

/** Checks the InferencePool references, which need a ReferenceGrant across namespaces. */
function checkInferencePoolRefs(client: ControllerClient, route: KubeObject) {
  const routeNamespace = route.metadata.namespace!;
  for (const ref of rulesOf(route).flatMap(backendRefsOf)) {
    if (!isInferencePoolRef(ref)) continue;
    const namespace = backendNamespace(ref, routeNamespace);
    const allowed = isReferencePermitted(
      client,
      {
        group: AI_GATEWAY_GROUP,
        kind: 'AIGatewayRoute',
        namespace: routeNamespace,
      },
      { group: ref.group!, kind: ref.kind!, namespace },
    );
    if (!allowed) {
      throw crossNamespaceError(routeNamespace, ref.kind!, ref.name, namespace);
    }
  }
}

/** Creates the filters that are missing and creates or updates the HTTPRoute (`syncAIGatewayRoute`). */
export function syncRoute(client: ControllerClient, route: KubeObject) {
  const { name, namespace } = route.metadata;
  for (const filter of generatedFilters(route)) {
    const exists = client.get(
      HTTP_ROUTE_FILTER_API_VERSION,
      'HTTPRouteFilter',
      namespace,
      filter.metadata.name!,
    );
    if (exists) continue;
    filter.metadata.ownerReferences = [controllerReference(route)];
    try {
      client.create(filter);
    } catch (error) {
      throw new Error(
        `failed to create HTTPRouteFilter ${
          filter.metadata.name
        }: ${errorMessage(error)}`,
      );
    }
  }
  const existing = client.get(
    HTTP_ROUTE_API_VERSION,
    'HTTPRoute',
    namespace,
    name!,
  );
  // A new HTTPRoute starts with the route's labels and annotations and its controller reference;
  // an existing one keeps its owners (upstream sets the reference only on create).
  const base: KubeObject = existing ?? {
    apiVersion: HTTP_ROUTE_API_VERSION,
    kind: 'HTTPRoute',
    metadata: {
      name,
      namespace,
      ownerReferences: [controllerReference(route)],
    },
    spec: {},
  };
  let desired: KubeObject;
  try {
    checkInferencePoolRefs(client, route);
    desired = applyGeneratedRoute(base, route, backendResolver(client, route));
  } catch (error) {
    throw new Error(
      `failed to construct a new HTTPRoute: ${errorMessage(error)}`,
    );
  }
  try {
    if (existing) client.update(desired);
    else client.create(desired);
  } catch (error) {
    const verb = existing ? 'update' : 'create';
    throw new Error(`failed to ${verb} HTTPRoute: ${errorMessage(error)}`);
  }
}

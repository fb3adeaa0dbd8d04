import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { specOf, writeStatusOfLiveObject } from '../controllerKit';
import {
  AT_ONCE,
  enqueueSpecChanges,
  queuedController,
  ControllerSetup,
  SimulatedController,
} from '../simulatedController';
import { httpRouteStatus } from './httpRouteStatus';

const HTTP_ROUTES = 'httproutes.gateway.networking.k8s.io';
const HTTP_ROUTE_API_VERSION = 'gateway.networking.k8s.io/v1';

/**
 * What a route's status depends on besides the route: Envoy Gateway's provider watches these
 * kinds and retranslates when one changes (envoyproxy/gateway v1.9.0
 * internal/provider/kubernetes/controller.go); Pods stand in for the EndpointSlices the sandbox
 * does not have.
 */
const DEPENDENCIES = new Set([
  'services',
  'pods',
  'backends.gateway.envoyproxy.io',
  'httproutefilters.gateway.envoyproxy.io',
  'referencegrants.gateway.networking.k8s.io',
  'inferencepools.inference.networking.k8s.io',
]);

/** Namespaces a route's backendRefs point into (its own when they name none). */
function referencedNamespaces(route: KubeObject): Set<string> {
  const spec = specOf(route);
  const rules = Array.isArray(spec.rules)
    ? spec.rules.filter(isPlainObject)
    : [];
  const namespaces = new Set([route.metadata.namespace!]);
  for (const rule of rules) {
    const refs = Array.isArray(rule.backendRefs)
      ? rule.backendRefs.filter(isPlainObject)
      : [];
    for (const ref of refs) {
      if (typeof ref.namespace === 'string' && ref.namespace)
        namespaces.add(ref.namespace);
    }
  }
  return namespaces;
}

/**
 * Envoy Gateway's HTTPRoute status (see httpRouteStatus.ts), written `delayMs` after a route is
 * created or its spec changes, and again whenever a Service, Pod, Backend, HTTPRouteFilter,
 * ReferenceGrant or InferencePool its backendRefs could name appears, changes or goes. A status
 * is only written when it says something new.
 */
export function startRouteStatusController({
  client,
  delayMs,
  log,
}: ControllerSetup): SimulatedController {
  const reconcile = writeStatusOfLiveObject(
    client,
    HTTP_ROUTE_API_VERSION,
    'HTTPRoute',
    route => httpRouteStatus(client, route),
  );
  return queuedController(
    'envoy-gateway-routes',
    delayMs,
    log,
    reconcile,
    (event, enqueue) => {
      if (enqueueSpecChanges(HTTP_ROUTES, event, enqueue)) return;
      if (!DEPENDENCIES.has(event.resource)) return;
      const namespace = event.object.metadata.namespace;
      for (const route of client.list(HTTP_ROUTE_API_VERSION, 'HTTPRoute')) {
        if (namespace && referencedNamespaces(route).has(namespace)) {
          const { name } = route.metadata;
          const key = {
            resource: HTTP_ROUTES,
            namespace: route.metadata.namespace,
            name: name!,
          };
          enqueue(key, AT_ONCE);
        }
      }
    },
  );
}

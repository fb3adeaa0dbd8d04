import { kubeTimestamp } from '../../apply/trackedFields';
import { ControllerClient, errorMessage } from '../controllerClient';
import { ObjectKey } from '../reconcileQueue';
import {
  enqueueOwner,
  enqueueSpecChanges,
  Enqueue,
  queuedController,
  SimulatedController,
} from '../simulatedController';
import { handleFinalizer } from './aiGatewayFinalizer';
import { AI_GATEWAY_API_VERSION } from './generatedHttpRoute';
import { syncRoute } from './syncGeneratedRoute';

/**
 * Envoy AI Gateway's AIGatewayRoute controller, following envoyproxy/ai-gateway v1.1.0
 * internal/controller/ai_gateway_route.go (`Reconcile`, `syncAIGatewayRoute`, `newHTTPRoute`,
 * `validateAndGetBackend`, `updateAIGatewayRouteStatus`) and controller.go (`newConditions`,
 * `handleFinalizer`, the watches of `StartControllers`).
 */

const ROUTES = 'aigatewayroutes.aigateway.envoyproxy.io';
const OWNED = new Set([
  'httproutes.gateway.networking.k8s.io',
  'httproutefilters.gateway.envoyproxy.io',
]);
/** The one condition upstream reports (`newConditions`): Accepted or NotAccepted, no observedGeneration. */
function routeConditions(accepted: boolean, message: string) {
  return [
    {
      type: accepted ? 'Accepted' : 'NotAccepted',
      status: accepted ? 'True' : 'False',
      reason: accepted ? 'ReconciliationSucceeded' : 'ReconciliationFailed',
      message,
      lastTransitionTime: kubeTimestamp(),
    },
  ];
}

export interface AIGatewayRouteController extends SimulatedController {
  /** Queues a route, as the AIServiceBackend controller does for the routes referencing a backend. */
  enqueue: Enqueue;
}

export function startAIGatewayRouteController(
  client: ControllerClient,
  delayMs: number,
  log: (line: string) => void,
): AIGatewayRouteController {
  const getRoute = (key: ObjectKey) =>
    client.get(
      AI_GATEWAY_API_VERSION,
      'AIGatewayRoute',
      key.namespace,
      key.name,
    );
  const reconcile = (key: ObjectKey) => {
    const found = getRoute(key);
    if (!found) return;
    const { deleting, object: route } = handleFinalizer(client, found, log);
    if (deleting) return;
    let conditions;
    try {
      syncRoute(client, route);
      conditions = routeConditions(
        true,
        'AI Gateway Route reconciled successfully',
      );
    } catch (error) {
      log(
        `controller ${
          client.manager
        }: failed to sync AIGatewayRoute: ${errorMessage(error)}`,
      );
      conditions = routeConditions(false, errorMessage(error));
    }
    // Upstream re-reads the route before writing its status.
    const fresh = getRoute(key);
    if (fresh) client.updateStatus({ ...fresh, status: { conditions } });
  };
  return queuedController(
    'ai-gateway-route',
    delayMs,
    log,
    reconcile,
    (event, enqueue) => {
      if (enqueueSpecChanges(ROUTES, event, enqueue)) return;
      // The HTTPRoute and the filters are watched as owned objects, with the same generation filter.
      if (OWNED.has(event.resource))
        enqueueOwner(event, 'AIGatewayRoute', ROUTES, enqueue);
    },
  );
}

import { errorMessage } from '../controllerClient';
import { ObjectKey } from '../reconcileQueue';
import {
  Enqueue,
  queuedController,
  ControllerSetup,
  SimulatedController,
  watchSpecAndOwned,
} from '../simulatedController';
import { handleFinalizer } from './aiGatewayFinalizer';
import {
  getAIGatewayObject,
  newConditions,
  updateConditions,
} from './aiGatewayStatus';
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

export interface AIGatewayRouteController extends SimulatedController {
  /** Queues a route, as the AIServiceBackend controller does for the routes referencing a backend. */
  enqueue: Enqueue;
}

export function startAIGatewayRouteController({
  client,
  delayMs,
  log,
}: ControllerSetup): AIGatewayRouteController {
  const reconcile = (key: ObjectKey) => {
    const found = getAIGatewayObject(client, 'AIGatewayRoute', key);
    if (!found) return;
    const { deleting, object: route } = handleFinalizer(client, found, log);
    if (deleting) return;
    let conditions;
    try {
      syncRoute(client, route);
      conditions = newConditions(
        true,
        'AI Gateway Route reconciled successfully',
      );
    } catch (error) {
      log(
        `controller ${
          client.manager
        }: failed to sync AIGatewayRoute: ${errorMessage(error)}`,
      );
      conditions = newConditions(false, errorMessage(error));
    }
    updateConditions(client, 'AIGatewayRoute', key, conditions);
  };
  return queuedController(
    'ai-gateway-route',
    delayMs,
    log,
    reconcile,
    // The HTTPRoute and the filters are watched as owned objects, with the same generation filter.
    watchSpecAndOwned(ROUTES, 'AIGatewayRoute', OWNED),
  );
}

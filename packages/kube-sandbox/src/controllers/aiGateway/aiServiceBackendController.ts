import { ObjectKey } from '../reconcileQueue';
import {
  AT_ONCE,
  Enqueue,
  queuedController,
  ControllerSetup,
  SimulatedController,
  watchSpecChanges,
} from '../simulatedController';
import { handleFinalizer } from './aiGatewayFinalizer';
import {
  getAIGatewayObject,
  newConditions,
  updateConditions,
} from './aiGatewayStatus';
import {
  AI_GATEWAY_API_VERSION,
  backendNamespace,
  backendRefsOf,
  rulesOf,
} from './generatedHttpRoute';

const BACKENDS = 'aiservicebackends.aigateway.envoyproxy.io';
const ROUTES = 'aigatewayroutes.aigateway.envoyproxy.io';

/**
 * Envoy AI Gateway's AIServiceBackend controller (envoyproxy/ai-gateway v1.1.0
 * internal/controller/ai_service_backend.go): keeps its finalizer on the backend, tells the
 * AIGatewayRoute controller about every route referencing the backend (the
 * `BackendToReferencingAIGatewayRoute` index of controller.go: `<name>.<namespace>` of each rule's
 * backendRef, the route's namespace by default), and reports `Accepted` with
 * "AIServiceBackend reconciled successfully". The check for more than one BackendSecurityPolicy
 * per backend is not simulated.
 */
export function startAIServiceBackendController(
  { client, delayMs, log }: ControllerSetup,
  enqueueRoute: Enqueue,
): SimulatedController {
  const referencingRoutes = (key: ObjectKey) =>
    client.list(AI_GATEWAY_API_VERSION, 'AIGatewayRoute').filter(route =>
      rulesOf(route)
        .flatMap(backendRefsOf)
        .some(
          ref =>
            ref.name === key.name &&
            backendNamespace(ref, route.metadata.namespace!) === key.namespace,
        ),
    );

  const reconcile = (key: ObjectKey) => {
    const found = getAIGatewayObject(client, 'AIServiceBackend', key);
    if (!found) return;
    // Upstream goes on after the finalizer step even for a backend being deleted, so that
    // the routes referencing it learn that it is gone.
    handleFinalizer(client, found, log);
    for (const route of referencingRoutes(key)) {
      const { namespace, name } = route.metadata;
      enqueueRoute({ resource: ROUTES, namespace, name: name! }, AT_ONCE);
    }
    updateConditions(
      client,
      'AIServiceBackend',
      key,
      newConditions(true, 'AIServiceBackend reconciled successfully'),
    );
  };
  return queuedController(
    'ai-service-backend',
    delayMs,
    log,
    reconcile,
    watchSpecChanges(BACKENDS),
  );
}

import { ResourceService } from '../api/resourceService';
import { RequestAuditLog } from '../audit/requestAudit';
import { startAIGatewayRouteController } from './aiGateway/aiGatewayRouteController';
import { startAIServiceBackendController } from './aiGateway/aiServiceBackendController';
import { ControllerClient } from './controllerClient';
import { startBackendStatusController } from './envoyGateway/backendStatusController';
import { startPolicyStatusController } from './envoyGateway/policyStatusController';
import { startRouteStatusController } from './envoyGateway/routeStatusController';
import { startGarbageCollector } from './garbageCollector';
import { startKnativeServing } from './knative/knativeServing';
import { startInferenceServiceController } from './kserve/inferenceServiceController';
import { ControllerSetup, SimulatedController } from './simulatedController';
import { startDeploymentController } from './workloads/deploymentController';
import { startReplicaSetController } from './workloads/replicaSetController';

const DEFAULT_READY_DELAY_MS = 1000;

export interface ControllerOptions {
  /**
   * How long the controllers that report readiness (KServe, Envoy Gateway, Envoy AI Gateway)
   * wait before reconciling a new or changed object of theirs. What follows from other objects'
   * changes, Kubernetes' own controllers (garbage collector, Deployment, ReplicaSet), Knative and
   * every deletion are handled at once.
   */
  readyDelayMs?: number;
  logger?: (line: string) => void;
  /** Where the controllers' writes are recorded next to the HTTP requests. */
  audit?: RequestAuditLog;
}

/**
 * Starts the simulated controllers of a cluster with KServe, Knative, Envoy Gateway and Envoy AI
 * Gateway installed. Each hears every store change and writes through the resource service under
 * its own field manager, so watchers see their writes like any client's. Returns a stop function.
 */
export function startControllers(
  service: ResourceService,
  options: ControllerOptions = {},
) {
  const delay = options.readyDelayMs ?? DEFAULT_READY_DELAY_MS;
  const log = options.logger ?? (() => {});
  const client = (manager: string) =>
    new ControllerClient(service, manager, options.audit);
  const setup = (manager: string): ControllerSetup => ({
    client: client(manager),
    delayMs: delay,
    log,
  });

  const routes = startAIGatewayRouteController(
    setup('envoy-ai-gateway-controller'),
  );
  const controllers: SimulatedController[] = [
    startGarbageCollector(client('generic-garbage-collector'), log),
    startDeploymentController(client('deployment-controller'), log),
    startReplicaSetController(client('replicaset-controller'), log),
    startInferenceServiceController(setup('kserve-controller-manager')),
    startKnativeServing(client('knative-serving-controller'), log),
    routes,
    startAIServiceBackendController(
      setup('envoy-ai-gateway-controller'),
      routes.enqueue,
    ),
    startRouteStatusController(setup('envoy-gateway')),
    startPolicyStatusController(setup('envoy-gateway')),
    startBackendStatusController(setup('envoy-gateway')),
  ];

  const unsubscribe = service.store.subscribe(event => {
    for (const controller of controllers) controller.onEvent(event);
  });
  return () => {
    unsubscribe();
    controllers.forEach(controller => controller.stop());
  };
}

import { condition } from '../conditions';
import { writeStatusOfLiveObject } from '../controllerKit';
import {
  queuedController,
  ControllerSetup,
  SimulatedController,
  watchSpecChanges,
} from '../simulatedController';

const BACKENDS = 'backends.gateway.envoyproxy.io';

/**
 * Envoy Gateway's status of a `Backend`: `Accepted` with "The Backend was accepted"
 * (envoyproxy/gateway v1.9.0 internal/gatewayapi/backend.go, status/backend.go
 * `computeBackendAcceptedCondition`). Backends are not validated further.
 */
export function startBackendStatusController({
  client,
  delayMs,
  log,
}: ControllerSetup): SimulatedController {
  const reconcile = writeStatusOfLiveObject(
    client,
    'gateway.envoyproxy.io/v1alpha1',
    'Backend',
    backend => {
      const accepted = condition(
        'Accepted',
        'True',
        'Accepted',
        'The Backend was accepted',
        backend.metadata.generation,
      );
      return { conditions: [accepted] };
    },
  );
  return queuedController(
    'envoy-gateway-backends',
    delayMs,
    log,
    reconcile,
    watchSpecChanges(BACKENDS),
  );
}

import { condition, updateStatusIfChanged } from '../conditions';
import { ControllerClient } from '../controllerClient';
import { ObjectKey } from '../reconcileQueue';
import {
  queuedController,
  SimulatedController,
  watchSpecChanges,
} from '../simulatedController';

const BACKENDS = 'backends.gateway.envoyproxy.io';

/**
 * Envoy Gateway's status of a `Backend`: `Accepted` with "The Backend was accepted"
 * (envoyproxy/gateway v1.9.0 internal/gatewayapi/backend.go, status/backend.go
 * `computeBackendAcceptedCondition`). Backends are not validated further.
 */
export function startBackendStatusController(
  client: ControllerClient,
  delayMs: number,
  log: (line: string) => void,
): SimulatedController {
  const reconcile = (key: ObjectKey) => {
    const backend = client.get(
      'gateway.envoyproxy.io/v1alpha1',
      'Backend',
      key.namespace,
      key.name,
    );
    if (!backend || backend.metadata.deletionTimestamp) return;
    const accepted = condition(
      'Accepted',
      'True',
      'Accepted',
      'The Backend was accepted',
      backend.metadata.generation,
    );
    updateStatusIfChanged(client, backend, { conditions: [accepted] });
  };
  return queuedController(
    'envoy-gateway-backends',
    delayMs,
    log,
    reconcile,
    watchSpecChanges(BACKENDS),
  );
}

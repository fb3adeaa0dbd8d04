import { kubeTimestamp } from '../../apply/trackedFields';
import { ControllerClient } from '../controllerClient';
import { getByKey } from '../controllerKit';
import { ObjectKey } from '../reconcileQueue';
import { AI_GATEWAY_API_VERSION } from './generatedHttpRoute';

/**
 * The one condition Envoy AI Gateway reports on its objects (envoyproxy/ai-gateway v1.1.0
 * internal/controller/controller.go `newConditions`): Accepted or NotAccepted, no
 * observedGeneration.
 */
export function newConditions(accepted: boolean, message: string) {
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

/** The kinds Envoy AI Gateway's controllers reconcile. */
export type AIGatewayKind = 'AIGatewayRoute' | 'AIServiceBackend';

/** The AIGatewayRoute or AIServiceBackend a queued key names. */
export const getAIGatewayObject = (
  client: ControllerClient,
  kind: AIGatewayKind,
  key: ObjectKey,
) => getByKey(client, AI_GATEWAY_API_VERSION, kind, key);

/**
 * Writes the conditions of an AIGatewayRoute or AIServiceBackend to a fresh read of it, as
 * upstream re-reads the object before writing its status (unconditionally: the transition time
 * moves with every reconcile). Nothing is written once the object is gone.
 */
export function updateConditions(
  client: ControllerClient,
  kind: AIGatewayKind,
  key: ObjectKey,
  conditions: ReturnType<typeof newConditions>,
) {
  const fresh = getAIGatewayObject(client, kind, key);
  if (fresh) client.updateStatus({ ...fresh, status: { conditions } });
}

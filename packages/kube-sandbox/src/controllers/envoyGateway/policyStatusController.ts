import { updateStatusIfChanged } from '../conditions';
import { getByKey } from '../controllerKit';
import { ObjectKey } from '../reconcileQueue';
import {
  AT_ONCE,
  Enqueue,
  isGenerationEvent,
  keyOf,
  queuedController,
  ControllerSetup,
  SimulatedController,
} from '../simulatedController';
import { comparePolicies, policyStatus } from './policyStatus';

const POLICY_API_VERSION = 'gateway.envoyproxy.io/v1alpha1';
const POLICY_KINDS: Record<string, string> = {
  'securitypolicies.gateway.envoyproxy.io': 'SecurityPolicy',
  'backendtrafficpolicies.gateway.envoyproxy.io': 'BackendTrafficPolicy',
};
const ROUTES = new Set([
  'httproutes.gateway.networking.k8s.io',
  'grpcroutes.gateway.networking.k8s.io',
]);

/**
 * Envoy Gateway's SecurityPolicy and BackendTrafficPolicy status (see policyStatus.ts), computed
 * `delayMs` after a policy is created or changed, and again when a route in its namespace
 * appears, changes or goes, or another policy of its kind comes or goes there (which can move a
 * `Conflicted` verdict). A policy upstream would give no status is left as it is.
 */
export function startPolicyStatusController({
  client,
  delayMs,
  log,
}: ControllerSetup): SimulatedController {
  const reconcile = (key: ObjectKey) => {
    const kind = POLICY_KINDS[key.resource];
    const policy = getByKey(client, POLICY_API_VERSION, kind, key);
    if (!policy || policy.metadata.deletionTimestamp) return;
    const earlier = client
      .list(POLICY_API_VERSION, kind, key.namespace)
      .filter(p => comparePolicies(p, policy) < 0);
    const status = policyStatus(client, policy, earlier);
    if (status) updateStatusIfChanged(client, policy, status);
  };
  /** Every policy of a kind in a namespace, at once (another object's change concerns them). */
  const enqueueKind = (
    resource: string,
    namespace: string | undefined,
    enqueue: Enqueue,
  ) => {
    for (const policy of client.list(
      POLICY_API_VERSION,
      POLICY_KINDS[resource],
      namespace,
    )) {
      enqueue({ resource, namespace, name: policy.metadata.name! }, AT_ONCE);
    }
  };
  return queuedController(
    'envoy-gateway-policies',
    delayMs,
    log,
    reconcile,
    (event, enqueue) => {
      const namespace = event.object.metadata.namespace;
      if (POLICY_KINDS[event.resource]) {
        // The policy itself after the delay; a policy coming or going can move the others' verdicts.
        if (event.type !== 'DELETED' && isGenerationEvent(event))
          enqueue(keyOf(event));
        if (event.type !== 'MODIFIED')
          enqueueKind(event.resource, namespace, enqueue);
      } else if (ROUTES.has(event.resource) && isGenerationEvent(event)) {
        for (const resource of Object.keys(POLICY_KINDS)) {
          enqueueKind(resource, namespace, enqueue);
        }
      }
    },
  );
}

import { KubeObject } from '../../store/types';
import { ControllerClient, errorMessage } from '../controllerClient';

/** The finalizer Envoy AI Gateway puts on AIGatewayRoutes and AIServiceBackends. */
export const AI_GATEWAY_FINALIZER = 'aigateway.envoyproxy.io/finalizer';

/**
 * Envoy AI Gateway's `handleFinalizer` (v1.1.0 internal/controller/controller.go): an object that
 * is not being deleted gets the finalizer (a PUT of the object); an object being deleted has it
 * removed, which lets the deletion complete. Failures are logged, not returned, as upstream does.
 * Returns whether the object is being deleted, and the object as it is after the write.
 */
export function handleFinalizer(
  client: ControllerClient,
  object: KubeObject,
  log: (line: string) => void,
): { deleting: boolean; object: KubeObject } {
  const finalizers = object.metadata.finalizers ?? [];
  const has = finalizers.includes(AI_GATEWAY_FINALIZER);
  const deleting = !!object.metadata.deletionTimestamp;
  if (deleting === !has) return { deleting, object };
  const updated: KubeObject = {
    ...object,
    metadata: {
      ...object.metadata,
      finalizers: deleting
        ? finalizers.filter(f => f !== AI_GATEWAY_FINALIZER)
        : [...finalizers, AI_GATEWAY_FINALIZER],
    },
  };
  try {
    return { deleting, object: client.update(updated) };
  } catch (error) {
    log(
      `controller ${client.manager}: finalizer of ${object.kind} ${
        object.metadata.namespace
      }/${object.metadata.name} not ${
        deleting ? 'removed' : 'added'
      }: ${errorMessage(error)}`,
    );
    return { deleting, object };
  }
}

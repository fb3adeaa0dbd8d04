import { ResourceRegistry } from '../api/resourceRegistry';
import { ControllerClient } from './controllerClient';
import { OwnerReference, ownerReferencesOf } from './ownerReferences';
import { ObjectKey } from './reconcileQueue';
import {
  keyOf,
  queuedController,
  SimulatedController,
} from './simulatedController';

/**
 * Kubernetes' garbage collector, background propagation only (k8s pkg/controller/garbagecollector,
 * garbagecollector.go `attemptToDeleteItem`): when an object's owners are all gone, whether
 * deleted or never there (an ownerReference whose uid matches no live object), the object is
 * deleted; when some owners remain, the dangling references are removed from it. Deleting a
 * dependent cascades to its own dependents the same way. Deleting with
 * `propagationPolicy: Orphan` or `Foreground` is not distinguished: dependents always go
 * in the background.
 */
export function startGarbageCollector(
  client: ControllerClient,
  log: (line: string) => void,
): SimulatedController {
  const { store, registry } = client.service;

  const ownerExists = (ref: OwnerReference, namespace: string | undefined) => {
    const served = registry.byKind(ref.apiVersion, ref.kind);
    // The real collector cannot resolve an unknown kind either, and leaves the dependent alone.
    if (!served) return true;
    const ownerNamespace =
      served.kind.scope === 'Namespaced' ? namespace : undefined;
    const owner = store.get(
      ResourceRegistry.resourceKey(served.kind),
      ownerNamespace,
      ref.name,
    );
    return owner?.metadata.uid === ref.uid;
  };

  const attemptToDelete = (key: ObjectKey) => {
    const object = store.get(key.resource, key.namespace, key.name);
    if (!object || object.metadata.deletionTimestamp) return;
    const refs = ownerReferencesOf(object);
    if (refs.length === 0) return;
    const solid = refs.filter(ref => ownerExists(ref, key.namespace));
    if (solid.length === refs.length) return;
    if (solid.length === 0) {
      client.delete(object, { uid: object.metadata.uid });
      return;
    }
    const danglingUids = new Set(
      refs.filter(ref => !solid.includes(ref)).map(ref => ref.uid),
    );
    const kept = (object.metadata.ownerReferences ?? []).filter(
      ref => !danglingUids.has((ref as OwnerReference).uid),
    );
    client.mergePatch(object, { metadata: { ownerReferences: kept } });
  };

  return queuedController(
    'garbage-collector',
    0,
    log,
    attemptToDelete,
    (event, enqueue) => {
      const { object } = event;
      if (event.type === 'DELETED') {
        // Namespaced owners can only have dependents in their own namespace; objects of a
        // deleted Namespace went with it.
        if (event.resource === 'namespaces') return;
        const { uid, namespace } = object.metadata;
        store.dependentsOf(uid!, namespace).forEach(key => enqueue(key));
        return;
      }
      // A new or re-parented object whose owner does not exist is collected too.
      const refs = JSON.stringify(object.metadata.ownerReferences ?? []);
      const before = JSON.stringify(
        event.previous?.metadata.ownerReferences ?? [],
      );
      if (refs !== '[]' && refs !== before) enqueue(keyOf(event));
    },
  );
}

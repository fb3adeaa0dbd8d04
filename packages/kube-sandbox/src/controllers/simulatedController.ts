import { StoreEvent } from '../store/types';
import { controllerOf } from './ownerReferences';
import { ObjectKey, ReconcileQueue } from './reconcileQueue';

/**
 * A simulated controller: it hears every store change (like an informer on the kinds it
 * watches) and reconciles from its own queue.
 */
export interface SimulatedController {
  onEvent(event: StoreEvent): void;
  stop(): void;
}

/**
 * Queues a key, after the controller's delay unless another is given. The delay stands for the
 * time a new or changed object takes to become ready; what follows from other objects (an owned
 * object, a dependency, another controller's notice) is reconciled at once (`delayMs` 0), as a real
 * controller reacts within milliseconds.
 */
export type Enqueue = (key: ObjectKey, delayMs?: number) => void;

/** The delay for reconciles that follow from other objects' changes. */
export const AT_ONCE = 0;

/**
 * A controller made of a reconcile function and a watch: `watch` sees every store event and
 * queues the keys to reconcile.
 */
export function queuedController(
  name: string,
  delayMs: number,
  log: (line: string) => void,
  reconcile: (key: ObjectKey) => void,
  watch: (event: StoreEvent, enqueue: Enqueue) => void,
): SimulatedController & { enqueue: Enqueue } {
  const queue = new ReconcileQueue(name, delayMs, reconcile, log);
  const enqueue: Enqueue = (key, delay) => queue.add(key, delay);
  return {
    onEvent: event => watch(event, enqueue),
    enqueue,
    stop: () => queue.stop(),
  };
}

/** The key of the object an event is about. */
export function keyOf(event: StoreEvent): ObjectKey {
  const { namespace, name } = event.object.metadata;
  return { resource: event.resource, namespace, name: name! };
}

/** Whether an event is a create or a change of `metadata.generation` (controller-runtime's `GenerationChangedPredicate`, plus creates and deletes). */
export function isGenerationEvent(event: StoreEvent): boolean {
  return (
    event.type !== 'MODIFIED' ||
    event.previous?.metadata.generation !== event.object.metadata.generation
  );
}

/** Whether the event is the one that marked the object for deletion (finalizers pending). */
export function isDeletionStart(event: StoreEvent): boolean {
  return (
    event.type === 'MODIFIED' &&
    !!event.object.metadata.deletionTimestamp &&
    !event.previous?.metadata.deletionTimestamp
  );
}

/**
 * Queues the object of a create or spec change of `resource` (deletions of objects with
 * finalizers at once, so that they complete promptly); ignores everything else. Returns whether
 * the event was about `resource`.
 */
export function enqueueSpecChanges(
  resource: string,
  event: StoreEvent,
  enqueue: Enqueue,
): boolean {
  if (event.resource !== resource) return false;
  if (event.type !== 'DELETED' && isGenerationEvent(event)) {
    enqueue(keyOf(event), isDeletionStart(event) ? AT_ONCE : undefined);
  }
  return true;
}

/**
 * Queues the controller owner (of kind `ownerKind`, filed under `ownerResource`) of the object a
 * create, delete or spec change is about, as controller-runtime's `Owns()` watch does.
 */
export function enqueueOwner(
  event: StoreEvent,
  ownerKind: string,
  ownerResource: string,
  enqueue: Enqueue,
) {
  if (!isGenerationEvent(event)) return;
  const owner = controllerOf(event.object);
  if (owner?.kind !== ownerKind) return;
  const { namespace } = event.object.metadata;
  enqueue({ resource: ownerResource, namespace, name: owner.name }, AT_ONCE);
}

/** A watch that queues the creates and spec changes of one resource (see {@link enqueueSpecChanges}). */
export function watchSpecChanges(resource: string) {
  return (event: StoreEvent, enqueue: Enqueue) => {
    enqueueSpecChanges(resource, event, enqueue);
  };
}

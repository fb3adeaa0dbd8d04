import { StoreEvent } from '../store/types';
import { ControllerClient } from './controllerClient';
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
 * What a controller that reports readiness is started with: its client (under its own field
 * manager), how long it waits before reconciling a new or changed object of its own, and the
 * sandbox's log.
 */
export interface ControllerSetup {
  client: ControllerClient;
  delayMs: number;
  log: (line: string) => void;
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

/** The key of an event's object's controller owner, if that owner is of kind `ownerKind` (filed under `ownerResource`). */
export function ownerKeyOf(
  event: StoreEvent,
  ownerKind: string,
  ownerResource: string,
): ObjectKey | undefined {
  const owner = controllerOf(event.object);
  if (owner?.kind !== ownerKind) return undefined;
  const { namespace } = event.object.metadata;
  return { resource: ownerResource, namespace, name: owner.name };
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
  const owner = ownerKeyOf(event, ownerKind, ownerResource);
  if (owner) enqueue(owner, AT_ONCE);
}

/** A watch that queues the creates and spec changes of one resource (see {@link enqueueSpecChanges}). */
export function watchSpecChanges(resource: string) {
  return (event: StoreEvent, enqueue: Enqueue) => {
    enqueueSpecChanges(resource, event, enqueue);
  };
}

/**
 * The watches of a controller-runtime controller built `For()` one resource (of kind
 * `ownerKind`) and `Owns()` the `owned` resources, all with the generation filter: its own spec
 * changes after the delay, a change of an object it owns at once.
 */
export function watchSpecAndOwned(
  resource: string,
  ownerKind: string,
  owned: Set<string>,
) {
  return (event: StoreEvent, enqueue: Enqueue) => {
    if (enqueueSpecChanges(resource, event, enqueue)) return;
    if (owned.has(event.resource))
      enqueueOwner(event, ownerKind, resource, enqueue);
  };
}

/**
 * The watches of a kube-controller-manager workload controller, which has no generation filter:
 * every create and change of `resource` (status included), and the controller owner (of kind
 * `ownerKind`) of each `childResource` event that `childEventMatters`.
 */
export function watchObjectsAndChildren(
  resource: string,
  ownerKind: string,
  childResource: string,
  childEventMatters: (event: StoreEvent) => boolean,
) {
  return (event: StoreEvent, enqueue: Enqueue) => {
    if (event.resource === resource) {
      if (event.type !== 'DELETED') enqueue(keyOf(event));
    } else if (event.resource === childResource && childEventMatters(event)) {
      const owner = ownerKeyOf(event, ownerKind, resource);
      if (owner) enqueue(owner);
    }
  };
}

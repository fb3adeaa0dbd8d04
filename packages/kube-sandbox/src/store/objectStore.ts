import { KubeObject, StoreEvent, WatchEventType } from './types';

export type StoreListener = (event: StoreEvent) => void;

/** Outcome of asking for the events after a resourceVersion. */
export type HistoryResult =
  | { expired: false; events: StoreEvent[] }
  | { expired: true; oldestAvailable: number };

/**
 * In-memory object storage with one global, monotonically increasing
 * resourceVersion (like an etcd revision). Every write gets the next
 * revision, is appended to a bounded event history (so watches can resume
 * from a resourceVersion) and is pushed to live listeners.
 *
 * Objects are keyed by resource (`<plural>.<group>`), namespace and name,
 * independent of the API version they were written with.
 */
export class ObjectStore {
  readonly #objects = new Map<string, KubeObject>();
  readonly #history: StoreEvent[] = [];
  readonly #listeners = new Set<StoreListener>();
  readonly #historyLimit: number;
  #revision: number;
  /** Highest revision whose event was dropped from the history. */
  #compactedRevision: number;

  constructor(
    options: { historyLimit?: number; initialRevision?: number } = {},
  ) {
    this.#historyLimit = options.historyLimit ?? 10000;
    this.#revision = options.initialRevision ?? 1000;
    this.#compactedRevision = this.#revision;
  }

  static key(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): string {
    return `${resource}/${namespace ?? ''}/${name}`;
  }

  get revision(): number {
    return this.#revision;
  }

  get(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const found = this.#objects.get(ObjectStore.key(resource, namespace, name));
    return found && structuredClone(found);
  }

  /** Objects of a resource, optionally in one namespace, sorted by namespace and name. */
  list(resource: string, namespace?: string): KubeObject[] {
    const prefix =
      namespace === undefined ? `${resource}/` : `${resource}/${namespace}/`;
    const keys = [...this.#objects.keys()]
      .filter(k => k.startsWith(prefix))
      .sort();
    return keys.map(k => structuredClone(this.#objects.get(k)!));
  }

  /** Every object, of any resource, in a namespace. */
  objectsInNamespace(
    namespace: string,
  ): Array<{ resource: string; object: KubeObject }> {
    const found: Array<{ resource: string; object: KubeObject }> = [];
    for (const [key, object] of this.#objects) {
      const [resource, ns] = key.split('/');
      if (ns === namespace)
        found.push({ resource, object: structuredClone(object) });
    }
    return found;
  }

  /**
   * The objects that name `ownerUid` in their ownerReferences (in `namespace` only, when given),
   * found without copying the others: the garbage collector asks after every deletion.
   */
  dependentsOf(
    ownerUid: string,
    namespace?: string,
  ): Array<{ resource: string; namespace?: string; name: string }> {
    const found: Array<{ resource: string; namespace?: string; name: string }> =
      [];
    for (const [key, object] of this.#objects) {
      const refs = object.metadata.ownerReferences;
      if (!Array.isArray(refs) || refs.length === 0) continue;
      if (namespace !== undefined && object.metadata.namespace !== namespace)
        continue;
      if (refs.some(ref => (ref as { uid?: unknown })?.uid === ownerUid)) {
        found.push({
          resource: key.split('/')[0],
          namespace: object.metadata.namespace,
          name: object.metadata.name!,
        });
      }
    }
    return found;
  }

  /** Stores an object (create or replace), assigning the next resourceVersion. */
  put(resource: string, object: KubeObject): KubeObject {
    const key = ObjectStore.key(
      resource,
      object.metadata.namespace,
      object.metadata.name!,
    );
    const previous = this.#objects.get(key);
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(++this.#revision);
    this.#objects.set(key, stored);
    this.#record(previous ? 'MODIFIED' : 'ADDED', resource, stored, previous);
    return structuredClone(stored);
  }

  /** Removes an object; the DELETED event carries the next resourceVersion. */
  remove(
    resource: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    const key = ObjectStore.key(resource, namespace, name);
    const previous = this.#objects.get(key);
    if (!previous) return undefined;
    this.#objects.delete(key);
    const deleted = structuredClone(previous);
    deleted.metadata.resourceVersion = String(++this.#revision);
    this.#record('DELETED', resource, deleted, previous);
    return structuredClone(deleted);
  }

  /** Events after `resourceVersion`, or `expired` when some were already dropped. */
  eventsSince(resourceVersion: number): HistoryResult {
    if (resourceVersion < this.#compactedRevision) {
      return { expired: true, oldestAvailable: this.#compactedRevision + 1 };
    }
    return {
      expired: false,
      events: this.#history.filter(e => e.resourceVersion > resourceVersion),
    };
  }

  subscribe(listener: StoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #record(
    type: WatchEventType,
    resource: string,
    object: KubeObject,
    previous?: KubeObject,
  ) {
    const event: StoreEvent = {
      type,
      resource,
      resourceVersion: this.#revision,
      object: structuredClone(object),
      previous: previous && structuredClone(previous),
    };
    this.#history.push(event);
    while (this.#history.length > this.#historyLimit) {
      this.#compactedRevision = this.#history.shift()!.resourceVersion;
    }
    for (const listener of [...this.#listeners]) listener(event);
  }
}

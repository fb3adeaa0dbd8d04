import { KindWatcher, listKind } from './kindWatcher';
import { GatewayKind, KubeObject, WATCHED_KINDS, objectKey } from './types';

export interface GatewayObjectCacheOptions {
  kubeApiUrl: string;
  /** Bearer token for the API server, when it needs one. */
  token?: string;
  onError?: (error: unknown) => void;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

/**
 * A live, in-memory copy of the gateway objects in every namespace, kept by
 * one list+watch per kind (see kindWatcher.ts). `generation` grows with every
 * change so derived views (the route table) know when to rebuild.
 */
export class GatewayObjectCache {
  private readonly byKind = new Map<GatewayKind, Map<string, KubeObject>>();
  private readonly seenResourceVersion = new Map<GatewayKind, number>();
  private readonly watchers: KindWatcher[] = [];
  private readonly waiters = new Set<Waiter>();
  private firstLists?: Promise<void>;
  generation = 0;

  constructor(private readonly options: GatewayObjectCacheOptions) {}

  /** Starts every watcher; resolves when each kind has been listed once. */
  start(): Promise<void> {
    if (!this.firstLists) {
      this.firstLists = Promise.all(
        WATCHED_KINDS.map(kind => {
          const watcher = new KindWatcher({
            kubeApiUrl: this.options.kubeApiUrl,
            token: this.options.token,
            kind,
            onChange: (objects, resourceVersion) =>
              this.onChange(kind.key, objects, resourceVersion),
            onError: error => this.options.onError?.(error),
          });
          this.watchers.push(watcher);
          return watcher.start();
        }),
      ).then(() => undefined);
    }
    return this.firstLists;
  }

  /** Resolves once the first list of every kind is in. */
  ready(): Promise<void> {
    return this.start();
  }

  stop(): void {
    for (const watcher of this.watchers) watcher.stop();
  }

  list(kind: GatewayKind, namespace?: string): KubeObject[] {
    const objects = [...(this.byKind.get(kind)?.values() ?? [])];
    return namespace === undefined
      ? objects
      : objects.filter(o => o.metadata.namespace === namespace);
  }

  get(
    kind: GatewayKind,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.byKind.get(kind)?.get(objectKey(namespace, name));
  }

  /** Resolves when `predicate` holds (checked now and after every change). */
  waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { check: predicate, resolve: () => undefined };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(
            `gateway-sandbox: condition not seen within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Resolves when the watch of `kind` has delivered the change with this
   * resourceVersion (or a later one), e.g. the one a PUT returned.
   */
  waitForResourceVersion(
    kind: GatewayKind,
    resourceVersion: string | number,
    timeoutMs?: number,
  ) {
    const wanted = Number(resourceVersion);
    return this.waitFor(
      () => (this.seenResourceVersion.get(kind) ?? -1) >= wanted,
      timeoutMs,
    );
  }

  /**
   * Resolves once the cache has caught up with the API server as it is now:
   * for every kind, either the watch has passed a fresh list's
   * resourceVersion or the cache holds exactly the listed objects. Lets a
   * test (or a caller that just wrote) know the data path sees its writes.
   */
  async waitUntilCurrent(timeoutMs?: number): Promise<void> {
    const listed = await Promise.all(
      WATCHED_KINDS.map(async kind => ({
        kind: kind.key,
        ...(await listKind({ ...this.options, kind })),
      })),
    );
    const caughtUp = ({ kind, items, resourceVersion }: (typeof listed)[0]) => {
      if ((this.seenResourceVersion.get(kind) ?? -1) >= resourceVersion)
        return true;
      const cached = this.byKind.get(kind) ?? new Map<string, KubeObject>();
      return (
        cached.size === items.length &&
        items.every(
          item =>
            cached.get(objectKey(item.metadata.namespace, item.metadata.name))
              ?.metadata.resourceVersion === item.metadata.resourceVersion,
        )
      );
    };
    await this.waitFor(() => listed.every(caughtUp), timeoutMs);
  }

  private onChange(
    kind: GatewayKind,
    objects: Map<string, KubeObject>,
    resourceVersion: number,
  ) {
    this.byKind.set(kind, objects);
    const seen = this.seenResourceVersion.get(kind) ?? -1;
    this.seenResourceVersion.set(kind, Math.max(seen, resourceVersion));
    this.generation++;
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}

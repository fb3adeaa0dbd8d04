import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ModelLocator,
  ownershipLabels,
  ownershipSelector,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterInformer,
  ClusterRegistry,
  isPortalWritten,
  KINDS,
  KubeObject,
  PUBLICATION_KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { objectKey } from './applyPublication';

/**
 * What the last change of a publication left in the cluster, as recorded with it: each object it
 * applied or kept, by `objectKey`, with the resourceVersion the cluster answered, and `null` for
 * each object it deleted.
 */
export type WrittenVersions = Record<string, string | null>;

/**
 * The publication objects of the tenant namespaces this replica changes publications in, kept by a
 * watch (docs/architecture.md, "What is cached"), so that a change plans without listing every
 * kind again. The Secrets are not kept: API keys stay out of long-lived memory, and the key set
 * is the one thing a change reads, modifies and writes back, so it is always read afresh.
 *
 * A view is only given when it is certainly no older than the publication's last change by any
 * replica: the watch must have delivered every resourceVersion that change wrote (and every
 * deletion it made). resourceVersions are compared for equality only, never ordered (the API's
 * rule: they are opaque); the watch's own order says what came after. A later change by someone
 * else that the watch has not delivered yet is the same race a fresh read has with a write just
 * after it. Otherwise (a watch starting, broken, forbidden, or behind) `view` answers undefined and
 * the caller reads afresh.
 */
export interface PublicationCache {
  /**
   * The model's publication objects (no Secrets), or undefined when they must be read afresh. The
   * objects are the cache's own and frozen (deeply): a caller that changes one copies it first.
   */
  view(
    tenant: string,
    model: ModelLocator,
    written: WrittenVersions | undefined,
  ): KubeObject[] | undefined;
  stop(): Promise<void>;
}

/** The kinds the cache keeps: every publication kind but the Secret. */
export const CACHED_KINDS = PUBLICATION_KINDS.filter(
  k => k.kind !== KINDS.secret.kind,
);

/** How many resourceVersions of one object are remembered (status writes add some after ours). */
const VERSIONS_KEPT = 16;
/** A watch that ended starts again after this, doubling up to the maximum while it keeps failing. */
const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 60_000;

/** Freezes `value` and everything in it: the cache hands out its own objects, never copies. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** One object as the watch delivered it, with the versions it was seen at, oldest first. */
interface Seen {
  object?: KubeObject;
  versions: string[];
  /** The watch delivered its deletion. */
  deleted: boolean;
}

/** The watches of one tenant namespace: one informer per cached kind. */
class NamespaceWatch {
  private readonly seen = new Map<string, Seen>();
  private readonly informers: ClusterInformer[] = [];
  private synced = 0;
  private stopped = false;
  private failed = false;
  private warned = false;

  constructor(
    private readonly start: (
      kind: (typeof CACHED_KINDS)[number],
    ) => ClusterInformer | undefined,
    private readonly logger: LoggerService,
    private readonly where: string,
  ) {
    for (const kind of CACHED_KINDS) this.run(kind);
  }

  /** Synced: every kind listed, no watch ended since. */
  get ready(): boolean {
    return !this.failed && this.synced === CACHED_KINDS.length;
  }

  private note(object: KubeObject, deleted: boolean) {
    const key = objectKey(object);
    const entry = this.seen.get(key) ?? { versions: [], deleted };
    const version = object.metadata.resourceVersion;
    if (version && entry.versions.at(-1) !== version) {
      entry.versions.push(version);
      if (entry.versions.length > VERSIONS_KEPT) entry.versions.shift();
    }
    // Frozen once here rather than copied for every change that plans with it.
    entry.object = deleted ? undefined : deepFreeze(object);
    entry.deleted = deleted;
    this.seen.set(key, entry);
  }

  private run(kind: (typeof CACHED_KINDS)[number]) {
    const informer = this.start(kind);
    if (!informer) {
      this.failed = true;
      return;
    }
    this.informers.push(informer);
    informer.on('add', o => this.note(o, false));
    informer.on('update', o => this.note(o, false));
    informer.on('delete', o => this.note(o, true));
    let listed = false;
    let restarting = false;
    let delayMs = RESTART_DELAY_MS;
    // One restart per failure: a failed start reports to the error handlers and rejects.
    const restart = (error: unknown) => {
      if (this.stopped || restarting) return;
      restarting = true;
      // Not ready until listed again: what happened meanwhile is unknown.
      if (listed) this.synced -= 1;
      listed = false;
      const log = this.warned ? this.logger.debug : this.logger.warn;
      this.warned = true;
      log.call(
        this.logger,
        `Publication cache: the watch of ${kind.kind} in ${this.where} ended (${error}); changes read the cluster afresh until it runs again`,
      );
      const timer = setTimeout(() => {
        restarting = false;
        if (!this.stopped) begin();
      }, delayMs);
      timer.unref();
      delayMs = Math.min(delayMs * 2, MAX_RESTART_DELAY_MS);
    };
    const onListed = () => {
      if (this.stopped || listed || restarting) return;
      listed = true;
      this.synced += 1;
      delayMs = RESTART_DELAY_MS;
    };
    const started = informer; // function declarations below are hoisted, so not narrowed
    function begin() {
      started.start().then(onListed, restart);
    }
    informer.on('error', restart);
    begin();
  }

  view(
    labels: Record<string, string>,
    written: WrittenVersions,
  ): KubeObject[] | undefined {
    if (!this.ready) return undefined;
    for (const [key, version] of Object.entries(written)) {
      if (key.startsWith(`${KINDS.secret.kind}/`)) continue;
      const entry = this.seen.get(key);
      if (version === null) {
        // Deleted by the change: the watch must not still show the object (it may never have
        // seen it, when it started after the deletion).
        if (entry?.object) return undefined;
      } else if (!entry?.versions.includes(version)) {
        return undefined;
      }
    }
    const objects: KubeObject[] = [];
    for (const { object } of this.seen.values()) {
      if (
        object &&
        isPortalWritten(object) &&
        Object.entries(labels).every(
          ([label, value]) => object.metadata.labels?.[label] === value,
        )
      ) {
        objects.push(object);
      }
    }
    return objects;
  }

  async stop() {
    this.stopped = true;
    await Promise.all(this.informers.map(i => i.stop()));
  }
}

export function createPublicationCache(deps: {
  clusters: ClusterRegistry;
  logger: LoggerService;
}): PublicationCache {
  const namespaces = new Map<string, NamespaceWatch>();
  let stopped = false;
  return {
    view(tenant, model, written) {
      if (stopped || !written) return undefined;
      const where = `${model.cluster}/${model.namespace}`;
      let watch = namespaces.get(`${where}\n${tenant}`);
      if (!watch) {
        const cluster = deps.clusters.get(model.cluster);
        const labelSelector = ownershipSelector({ tenant });
        watch = new NamespaceWatch(
          kind =>
            cluster.informer?.(kind.apiVersion, kind.kind, {
              namespace: model.namespace,
              labelSelector,
            }),
          deps.logger,
          where,
        );
        namespaces.set(`${where}\n${tenant}`, watch);
      }
      return watch.view(
        ownershipLabels({ tenant, model: model.name }),
        written,
      );
    },
    async stop() {
      stopped = true;
      await Promise.all([...namespaces.values()].map(w => w.stop()));
      namespaces.clear();
    },
  };
}

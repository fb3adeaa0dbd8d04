/**
 * The staleness bound of the tenants read from the catalog (the inference plugin's tenant
 * directory and the permission policy's tenant groups): a tenant group added, removed or changed
 * in the catalog takes effect in the portal within this many milliseconds of the catalog holding
 * the change. The catalog publishes no event when an entity changes (plugin-catalog-backend 4.0
 * publishes only conflicts and processing errors), so a timer and this bound are what there is.
 * @public
 */
export const TENANTS_MAX_AGE_MS = 5_000;

/**
 * A value read from elsewhere (the catalog's tenant groups) and kept for at most `maxAgeMs`.
 * @public
 */
export interface RefreshingCache<T> {
  /**
   * The value, never older than `maxAgeMs` (counted from the start of the read that produced it).
   * Waits for a read only when there is no such value; rejects when that read fails.
   */
  get(): Promise<T>;
  /** Forgets the value: the next `get` waits for a fresh read (e.g. on an event that changed it). */
  invalidate(): void;
}

/**
 * Options of {@link createRefreshingCache}.
 * @public
 */
export interface RefreshingCacheOptions {
  /** The staleness bound: no value older than this is ever returned. */
  maxAgeMs: number;
  /**
   * While the cache is in use, it re-reads in the background this often (default: half of
   * `maxAgeMs`), so that callers find a value younger than `maxAgeMs` and never wait for a read.
   */
  refreshEveryMs?: number;
  /** The background refresh stops after this long without a `get` (default 60 s). */
  idleAfterMs?: number;
}

/**
 * A cache that refreshes on a short timer while in use, and bounds staleness instead of trusting
 * the timer: a value older than `maxAgeMs` is never returned (if the background reads fail or fall
 * behind, callers wait for a fresh read, and get its error if it fails: a failed read is never
 * cached). Concurrent reads are shared. The timer is unref'd and stops when nobody asks, so an
 * idle or stopped backend makes no reads.
 * @public
 */
export function createRefreshingCache<T>(
  read: () => Promise<T>,
  options: RefreshingCacheOptions,
): RefreshingCache<T> {
  const { maxAgeMs } = options;
  const refreshEveryMs = options.refreshEveryMs ?? maxAgeMs / 2;
  const idleAfterMs = options.idleAfterMs ?? 60_000;
  let value: { at: number; data: T } | undefined;
  let reading: Promise<T> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastUse = 0;
  let generation = 0;

  function refresh(): Promise<T> {
    if (!reading) {
      const at = Date.now();
      const mine = generation;
      const current = read()
        .then(data => {
          // A read that started before an invalidate() may hold what the invalidation was about.
          if (mine === generation) value = { at, data };
          return data;
        })
        .finally(() => {
          if (reading === current) reading = undefined;
        });
      reading = current;
    }
    return reading;
  }

  function tick() {
    timer = undefined;
    if (Date.now() - lastUse > idleAfterMs) return;
    refresh().catch(() => {
      // A failed background read changes nothing: the last value still ages out at maxAgeMs.
    });
    schedule();
  }

  function schedule() {
    if (timer) return;
    timer = setTimeout(tick, refreshEveryMs);
    timer.unref?.();
  }

  return {
    get() {
      lastUse = Date.now();
      schedule();
      if (value && lastUse - value.at < maxAgeMs)
        return Promise.resolve(value.data);
      return refresh();
    },
    invalidate() {
      generation += 1;
      value = undefined;
      reading = undefined;
    },
  };
}

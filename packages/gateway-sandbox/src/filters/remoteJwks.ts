import { Jwk, parseJwks } from './jwks';

/** Maps a JWKS URI (a cluster hostname, usually) to a URL this process can fetch. */
export type ResolveJwks = (uri: string) => string | undefined;

export interface RemoteJwksSettings {
  uri: string;
  /** `remoteJWKS.cacheDuration` (CRD default 300s). */
  cacheDurationMs: number;
  /** `remoteJWKS.failedRefetchDuration` (Envoy's default 1 s). */
  failedRefetchMs: number;
}

/** Envoy Gateway's JWKS request timeout (translator/utils.go). */
const FETCH_TIMEOUT_MS = 10_000;
/** Envoy refreshes this long before the cache duration ends. */
const REFETCH_BEFORE_EXPIRY_MS = 5_000;

interface Entry {
  keys?: Jwk[];
  /** When Envoy's refresh timer would fire next. */
  refreshAt: number;
  inFlight?: Promise<void>;
}

/**
 * Remote JWKS as Envoy fetches them with the `async_fetch` Envoy Gateway
 * v1.9.0 always sets (internal/xds/translator/jwt.go `buildJWTProvider`:
 * `AsyncFetch{}`, the URI, a 10 s timeout, `cache_duration` when given).
 *
 * Envoy (source/extensions/filters/http/jwt_authn/jwks_async_fetcher.cc,
 * jwks_cache.cc, authenticator.cc, common/jwks_fetcher.cc; tags not
 * checked): the keys are fetched when the listener starts and again
 * `cache_duration - 5 s` after each success, or `failed_refetch_duration`
 * (1 s) after a failure, which keeps the previous keys; keys from the
 * background fetch do not expire. A request that finds no keys fetches
 * them itself; if that fails it is refused with "Jwks remote fetch is
 * failed". A fetch succeeds only with a 200, a non-empty body and a set
 * holding a valid key. A token whose `kid` is not in the cached set does
 * not trigger a fetch.
 *
 * Here there is no timer: the first request that needs a set fetches it,
 * and a request arriving after the refresh time (by the injected clock)
 * waits for the refresh Envoy would have done by then. `resolveJwks` maps
 * the URI (normally a cluster hostname) to a reachable URL; undefined =
 * unreachable (Envoy: no such cluster).
 */
export class RemoteJwksCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: {
      clock: () => number;
      resolveJwks?: ResolveJwks;
    },
  ) {}

  /** The cached or freshly fetched keys; undefined when none could be had. */
  async keys(settings: RemoteJwksSettings): Promise<Jwk[] | undefined> {
    const id = JSON.stringify([
      settings.uri,
      settings.cacheDurationMs,
      settings.failedRefetchMs,
    ]);
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { refreshAt: 0 };
      this.entries.set(id, entry);
    }
    if (!entry.keys || this.options.clock() >= entry.refreshAt) {
      await this.refresh(entry, settings);
    }
    return entry.keys;
  }

  private refresh(entry: Entry, settings: RemoteJwksSettings): Promise<void> {
    entry.inFlight ??= this.fetchKeys(settings.uri).then(keys => {
      const now = this.options.clock();
      if (keys) {
        entry.keys = keys;
        entry.refreshAt = now + refetchDelay(settings.cacheDurationMs);
      } else {
        entry.refreshAt = now + settings.failedRefetchMs;
      }
      entry.inFlight = undefined;
    });
    return entry.inFlight;
  }

  private async fetchKeys(uri: string): Promise<Jwk[] | undefined> {
    try {
      const url = this.options.resolveJwks
        ? this.options.resolveJwks(uri)
        : uri;
      if (!url) return undefined;
      const response = await fetch(url, {
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      const body = await response.text();
      if (response.status !== 200 || body.length === 0) return undefined;
      const parsed = parseJwks(body);
      return parsed.ok ? parsed.keys : undefined;
    } catch {
      return undefined;
    }
  }
}

/** jwks_async_fetcher.cc: whole seconds, 5 s early when longer than 5 s. */
function refetchDelay(cacheDurationMs: number): number {
  const whole = Math.trunc(cacheDurationMs / 1000) * 1000;
  return whole > REFETCH_BEFORE_EXPIRY_MS
    ? whole - REFETCH_BEFORE_EXPIRY_MS
    : whole;
}

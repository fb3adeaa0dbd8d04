import { RateLimitUnit } from './globalRules';

/** Seconds per unit (envoyproxy/ratelimit src/utils/utilities.go `UnitToDivider`). */
export const UNIT_SECONDS: Record<RateLimitUnit, number> = {
  Second: 1,
  Minute: 60,
  Hour: 60 * 60,
  Day: 60 * 60 * 24,
};

/** What the rate limit service answers for one descriptor. */
export interface DescriptorStatus {
  overLimit: boolean;
  requestsPerUnit: number;
  unit: RateLimitUnit;
  remaining: number;
  /** Seconds until the current window ends. */
  resetSeconds: number;
}

/**
 * In-memory fixed-window counters, as envoyproxy/ratelimit keeps them in
 * Redis (checked on its main branch, not on the image EG v1.9.0 deploys):
 * the key ends with the window start `(now / divider) * divider`, so
 * windows are aligned to the clock (src/limiter/cache_key.go); every call
 * adds its hits, even over the limit (src/redis/fixed_cache_impl.go, with
 * the default STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT=false); a descriptor
 * is over the limit when the count after adding exceeds `requests_per_unit`,
 * remaining is 0 then, and reset is `divider - now % divider`
 * (src/limiter/base_limiter.go, src/utils/utilities.go `CalculateReset`).
 * One process, so one counter map instead of Redis.
 */
export class FixedWindowCounters {
  private readonly counters = new Map<
    string,
    { windowStart: number; count: number }
  >();

  /** `now` in milliseconds since the epoch; injectable for tests. */
  constructor(private readonly now: () => number = Date.now) {}

  hit(
    bucket: string,
    limit: { requests: number; unit: RateLimitUnit },
    hits: number,
  ): DescriptorStatus {
    const divider = UNIT_SECONDS[limit.unit];
    const nowSeconds = Math.floor(this.now() / 1000);
    const windowStart = Math.floor(nowSeconds / divider) * divider;
    const key = `${bucket}\u0000${limit.unit}`;
    const current = this.counters.get(key);
    // A counter of an earlier window is gone, as its Redis key expires.
    const count =
      (current?.windowStart === windowStart ? current.count : 0) + hits;
    this.counters.set(key, { windowStart, count });
    const overLimit = count > limit.requests;
    return {
      overLimit,
      requestsPerUnit: limit.requests,
      unit: limit.unit,
      remaining: overLimit ? 0 : limit.requests - count,
      resetSeconds: divider - (nowSeconds % divider),
    };
  }
}

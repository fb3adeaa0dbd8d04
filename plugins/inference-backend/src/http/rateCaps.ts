import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { RequestHandler } from 'express';

/** One cap: at most `requests` per `windowSeconds` for one user, with bursts up to `requests`. */
export interface RateCap {
  requests: number;
  windowSeconds: number;
}

/** The per-user caps of the router (`inference.rateCaps`, see ../config.ts). */
export interface RateCapsConfig {
  /** `POST .../test`: each one calls the model through the gateway. */
  testInvocations: RateCap;
  /** Every request that writes (or dry-runs a write): models, publications, API keys. */
  mutations: RateCap;
}

export const DEFAULT_RATE_CAPS: RateCapsConfig = {
  testInvocations: { requests: 30, windowSeconds: 60 },
  mutations: { requests: 60, windowSeconds: 60 },
};

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Idle buckets are dropped once this many are held, so memory stays bounded by active users. */
const SWEEP_ABOVE = 10_000;

/**
 * A token bucket per key: `requests` tokens, refilled continuously over `windowSeconds`.
 *
 * In memory, in this process: with several backend replicas each replica applies its own limit, so
 * a user may get up to (replicas x requests) per window across the deployment. A shared store
 * (Redis, the database) is needed for one deployment-wide limit.
 */
export class RateLimiter {
  readonly #cap: RateCap;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(cap: RateCap, now: () => number = Date.now) {
    this.#cap = cap;
    this.#now = now;
  }

  /** Takes one token for `key`: 0 when allowed, else the seconds until one is available. */
  take(key: string): number {
    const now = this.#now();
    const { requests, windowSeconds } = this.#cap;
    const perMs = requests / (windowSeconds * 1000);
    const held = this.#buckets.get(key);
    const tokens = held
      ? Math.min(requests, held.tokens + (now - held.updatedMs) * perMs)
      : requests;
    if (tokens >= 1) {
      this.#buckets.set(key, { tokens: tokens - 1, updatedMs: now });
      if (this.#buckets.size > SWEEP_ABOVE) this.#sweep(now, perMs);
      return 0;
    }
    this.#buckets.set(key, { tokens, updatedMs: now });
    return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
  }

  /** Number of users currently tracked (for tests). */
  get size(): number {
    return this.#buckets.size;
  }

  #sweep(now: number, perMs: number) {
    for (const [key, bucket] of this.#buckets) {
      if (
        bucket.tokens + (now - bucket.updatedMs) * perMs >=
        this.#cap.requests
      )
        this.#buckets.delete(key);
    }
  }
}

/**
 * Express middleware: refuses a user's request with 429 and `Retry-After` once their bucket for
 * `name` is empty. The caller is the authenticated user (an unauthenticated request gets the 401 it
 * would get anyway); the cap is checked before any work, so a refused request costs nothing.
 */
export function rateCapMiddleware(options: {
  httpAuth: HttpAuthService;
  name: string;
  limiter: RateLimiter;
}): RequestHandler {
  const { httpAuth, name, limiter } = options;
  return async (req, res, next) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const retryAfter = limiter.take(credentials.principal.userEntityRef);
    if (retryAfter === 0) {
      next();
      return;
    }
    res.set('Retry-After', String(retryAfter));
    res.status(429).json({
      error: {
        name: 'TooManyRequestsError',
        message: `Too many ${name} requests; try again in ${retryAfter} s`,
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 429 },
    });
  };
}

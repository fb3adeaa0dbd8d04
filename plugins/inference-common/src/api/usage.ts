import type { ModelLocator } from './types';

/**
 * Usage figures read from Prometheus (`inference.usage.prometheusUrl`): the gateway's own metrics
 * (AI Gateway's GenAI metrics, Envoy's request stats, the rate limit service's per-descriptor
 * stats), never counters kept by the portal. See docs/architecture.md, "Usage".
 */

/** @public */
export const USAGE_WINDOWS = ['1h', '24h', '7d'] as const;
/** @public */
export type UsageWindow = (typeof USAGE_WINDOWS)[number];

/** @public */
export interface UsagePoint {
  /** Unix time in seconds (the end of the step). */
  t: number;
  value: number;
}

/**
 * A figure the platform's metrics cannot give (so the number in its place is 0 or absent), and
 * why. `figure` names it by its path, e.g. `requests.unauthorized`, `keys`,
 * `keys.requests.rateLimited`. @public
 */
export interface UnavailableFigure {
  figure: string;
  reason: string;
}

/** @public */
export interface RequestCounts {
  total: number;
  /**
   * By HTTP status class, e.g. `{ "2xx": 120, "4xx": 7 }`. Per key (AI Gateway's GenAI metrics,
   * which record only whether the model answered 2xx): `{ "2xx": n, "error": m }`.
   */
  byStatusClass: Record<string, number>;
  /** 401s (no or bad key): counted per model only, since no key is known then. */
  unauthorized?: number;
  /** 429s from the rate limit. */
  rateLimited: number;
}

/** @public */
export interface TokenCounts {
  input: number;
  output: number;
  total: number;
}

/** How much of one of a key's limits the current window has used. @public */
export interface LimitHeadroom {
  limit: 'requestsPerMinute' | 'requestsPerHour' | 'tokensPerHour';
  /** The publication's limit. */
  max: number;
  /** Used in the current, clock-aligned window. */
  used: number;
  windowSeconds: number;
}

/** @public */
export interface KeyUsage {
  /** The key's id (the client id the gateway forwards); `name` when the key still exists. */
  keyId: string;
  name?: string;
  requests: RequestCounts;
  /** OpenAI-compatible models only. */
  tokens?: TokenCounts;
  headroom: LimitHeadroom[];
}

/** One model's usage over a window. @public */
export interface ModelUsage {
  model: ModelLocator;
  window: UsageWindow;
  requests: RequestCounts;
  /** OpenAI-compatible models only. */
  tokens?: TokenCounts;
  latencyMs: { p50?: number; p95?: number };
  series: {
    requests: UsagePoint[];
    rateLimited: UsagePoint[];
    errors: UsagePoint[];
    /** OpenAI-compatible models only. */
    tokens?: UsagePoint[];
  };
  keys: KeyUsage[];
  /** Figures the platform's metrics cannot give for this model, with the reason. */
  unavailable?: UnavailableFigure[];
  /** Unix time in seconds the figures were read at; they lag by up to one scrape interval. */
  asOf?: number;
}

/** Usage of every model of a tenant the caller may read, over a window. @public */
export interface TenantUsage {
  tenant: string;
  window: UsageWindow;
  requests: RequestCounts;
  tokens: TokenCounts;
  models: Array<{
    model: ModelLocator;
    requests: RequestCounts;
    tokens?: TokenCounts;
  }>;
  /** Figures the platform's metrics cannot give for this tenant, with the reason. */
  unavailable?: UnavailableFigure[];
}

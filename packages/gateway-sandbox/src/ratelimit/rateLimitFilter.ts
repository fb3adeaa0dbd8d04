import { findAttachedPolicy } from '../filters/policyAttachment';
import { GatewayObjectCache } from '../objects/objectCache';
import { GatewayRequest } from '../request';
import { GatewayRef } from '../routing/attachment';
import { RouteEntry } from '../routing/types';
import { FixedWindowCounters } from './fixedWindowCounters';
import { RateLimitCost, globalRateLimitDescriptors } from './globalRules';
import { rateLimitHeaders } from './rateLimitHeaders';

/** Dynamic metadata by namespace, then key (e.g. `io.envoy.ai_gateway`). */
export type DynamicMetadata = Record<string, Record<string, number>>;

export type RateLimitDecision =
  | { type: 'refused'; status: number; headers: Record<string, string> }
  | { type: 'failed'; status: number; body: string }
  | {
      type: 'allowed';
      /** The rate limit service was asked (there were descriptors). */
      checked: boolean;
      /** Added to the response (Envoy's encodeHeaders). */
      headers: Record<string, string>;
      /** Charges the `apply_on_stream_done` descriptors. */
      streamDone(metadata: DynamicMetadata): void;
    };

const ALLOWED: RateLimitDecision = {
  type: 'allowed',
  checked: false,
  headers: {},
  streamDone: () => {},
};

/**
 * Envoy's ratelimit filter with the route's global rate limits, as Envoy
 * Gateway v1.9.0 configures it (internal/xds/translator/ratelimit.go): at
 * request time every rule's descriptor is sent with its request hits
 * (`cost.request` number; none = 1; 0 only checks); a rule with
 * `cost.response` gets a second descriptor with `apply_on_stream_done`
 * whose hits are charged when the response ends. Any descriptor over the
 * limit answers 429 with an empty body (envoyproxy/ratelimit sets no
 * `raw_body`) and the `x-ratelimit-*` headers; `x-envoy-ratelimited` is off
 * (EG sets `disable_x_envoy_ratelimited_header` unless Envoy headers are
 * enabled). No descriptor = no call, no headers.
 */
export function applyGlobalRateLimit(
  cache: GatewayObjectCache,
  counters: FixedWindowCounters,
  gateway: GatewayRef,
  entry: RouteEntry,
  request: GatewayRequest,
): RateLimitDecision {
  const policy = findAttachedPolicy(
    cache,
    'BackendTrafficPolicy',
    entry,
    gateway,
  );
  if (!policy?.spec?.rateLimit) return ALLOWED;
  const result = globalRateLimitDescriptors(policy, entry, request);
  if (!result.ok) {
    const name = `${policy.metadata.namespace}/${policy.metadata.name}`;
    return {
      type: 'failed',
      status: 500,
      body: `gateway-sandbox: BackendTrafficPolicy ${name} uses ${result.unsupported.join(
        ', ',
      )}, which this test double does not support yet; request refused\n`,
    };
  }
  const { descriptors } = result;
  if (descriptors.length === 0) return ALLOWED;
  const statuses = descriptors.map(d =>
    counters.hit(d.bucket, d.limit, hitsOf(d.requestCost, {}) ?? 1),
  );
  const headers = rateLimitHeaders(statuses);
  if (statuses.some(s => s.overLimit))
    return { type: 'refused', status: 429, headers };
  return {
    type: 'allowed',
    checked: true,
    headers,
    streamDone: metadata => {
      for (const d of descriptors) {
        if (!d.responseCost) continue;
        const hits = hitsOf(d.responseCost, metadata);
        // Envoy drops a descriptor whose hits_addend format yields no value
        // (source/extensions/filters/common/ratelimit/ratelimit_impl.cc).
        if (hits !== undefined) counters.hit(d.bucket, d.limit, hits);
      }
    },
  };
}

function hitsOf(
  cost: RateLimitCost | undefined,
  metadata: DynamicMetadata,
): number | undefined {
  if (!cost) return undefined;
  if (cost.from === 'Number') return cost.number;
  return metadata[cost.namespace]?.[cost.key];
}

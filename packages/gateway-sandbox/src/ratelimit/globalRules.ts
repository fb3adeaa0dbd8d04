import { KubeObject } from '../objects/types';
import { GatewayRequest } from '../request';
import { RouteEntry } from '../routing/types';

export type RateLimitUnit = 'Second' | 'Minute' | 'Hour' | 'Day';

/** A hits addend: a fixed number, or a dynamic metadata value. */
export type RateLimitCost =
  | { from: 'Number'; number: number }
  | { from: 'Metadata'; namespace: string; key: string };

/** One descriptor sent to the rate limit service for one policy rule. */
export interface RateLimitDescriptor {
  /** Domain and descriptor entries: the counter, minus the time window. */
  bucket: string;
  limit: { requests: number; unit: RateLimitUnit };
  /** Hits at request time; absent = envoyproxy/ratelimit's default of 1. */
  requestCost?: RateLimitCost;
  /** Hits charged when the stream is done (`apply_on_stream_done`). */
  responseCost?: RateLimitCost;
}

export type GlobalRulesResult =
  | { ok: true; descriptors: RateLimitDescriptor[] }
  | { ok: false; unsupported: string[] };

/**
 * The descriptors one request produces under a BackendTrafficPolicy's
 * `rateLimit.global.rules`, as Envoy Gateway v1.9.0 translates them
 * (internal/gatewayapi/backendtrafficpolicy.go `buildRateLimitRule`: the
 * headers of every clientSelector are ANDed in one list; rule name
 * `<ns>/<policy>/rule/<i>`) into route rate limit actions
 * (internal/xds/translator/ratelimit.go `buildRouteRateLimits`):
 * - a generic key first: the IR route name (one counter per route rule,
 *   match and hostname), or for `shared: true` the rule name, in the policy's
 *   own domain (one counter across every target);
 * - per header match `rule-<i>-match-<j>`: Distinct = request_headers (the
 *   first value of the header), Exact = header_value_match (`invert` =
 *   expect_match false); a rule without selectors gets `rule-<i>-match--1`.
 * Envoy drops a whole descriptor when one action produces nothing
 * (router_ratelimit.cc `RequestHeadersAction`, skip_if_absent false, and a
 * header_value_match that does not match), so a request without the
 * Distinct header, or not matching an Exact one, is neither counted nor
 * limited by that rule.
 */
export function globalRateLimitDescriptors(
  policy: KubeObject,
  entry: RouteEntry,
  request: GatewayRequest,
): GlobalRulesResult {
  const unsupported = unsupportedRateLimitFeatures(policy);
  if (unsupported.length > 0) return { ok: false, unsupported };
  const rules: any[] = policy.spec.rateLimit.global?.rules ?? [];
  const policyName = `${policy.metadata.namespace}/${policy.metadata.name}`;
  const descriptors: RateLimitDescriptor[] = [];
  rules.forEach((rule, index) => {
    const shared = rule.shared === true;
    // Indices are counted per domain (ratelimit.go `getDomainRuleIndex`).
    const domainIndex = rules
      .slice(0, index)
      .filter(r => (r.shared === true) === shared).length;
    const name = shared ? `${policyName}/rule/${index}` : irRouteName(entry);
    const entries = [`${name}=${name}`];
    const headers = (rule.clientSelectors ?? []).flatMap(
      (s: any) => s.headers ?? [],
    );
    if (headers.length === 0) {
      const key = `rule-${domainIndex}-match--1`;
      entries.push(`${key}=${key}`);
    }
    for (const [matchIndex, header] of headers.entries()) {
      const key = `rule-${domainIndex}-match-${matchIndex}`;
      const headerName = String(header.name).toLowerCase();
      if (header.type === 'Distinct') {
        const value = request.firstHeader(headerName);
        if (value === undefined) return;
        entries.push(`${key}=${value}`);
      } else {
        const value = request.view().header(headerName);
        const matches = value !== undefined && value === header.value;
        if (matches === (header.invert === true)) return;
        entries.push(`${key}=${key}`);
      }
    }
    descriptors.push({
      // The listener is the domain of non-shared rules; this double serves
      // one listener port, so a fixed name stands for it.
      bucket: [shared ? policyName : 'listener', ...entries].join('\u0000'),
      limit: { requests: rule.limit.requests, unit: rule.limit.unit },
      requestCost: toCost(rule.cost?.request),
      responseCost: toCost(rule.cost?.response),
    });
  });
  return { ok: true, descriptors };
}

/** EG's IR route name (internal/gatewayapi/helpers.go, route.go). */
function irRouteName(entry: RouteEntry): string {
  const { namespace, name } = entry.route.metadata;
  const host = entry.hostname.replaceAll('.', '_');
  return `httproute/${namespace}/${name}/rule/${entry.ruleIndex}/match/${entry.matchIndex}/${host}`;
}

function toCost(cost: any): RateLimitCost | undefined {
  if (!cost) return undefined;
  return cost.from === 'Metadata'
    ? { from: 'Metadata', ...cost.metadata }
    : { from: 'Number', number: cost.number ?? 0 };
}

/**
 * Rate limit features this slice does not reproduce; a request to a route
 * whose policy uses one is refused with a 500, never let through unlimited.
 */
export function unsupportedRateLimitFeatures(policy: KubeObject): string[] {
  const rateLimit = policy.spec?.rateLimit;
  const found = new Set<string>();
  if (rateLimit?.local || rateLimit?.type === 'Local')
    found.add('local rate limits');
  for (const rule of rateLimit?.global?.rules ?? []) {
    for (const selector of rule.clientSelectors ?? []) {
      for (const field of ['methods', 'path', 'sourceCIDR', 'queryParams']) {
        if (selector[field] !== undefined)
          found.add(`clientSelectors.${field}`);
      }
      for (const header of selector.headers ?? []) {
        const type = header.type ?? 'Exact';
        if (type !== 'Exact' && type !== 'Distinct')
          found.add(`header match type ${type}`);
      }
    }
    if (rule.limit?.fromMetadata) found.add('limit.fromMetadata');
    if (rule.shadowMode) found.add('shadowMode');
    if (rule.xRateLimitHeaders) found.add('xRateLimitHeaders');
    if (rule.cost?.request?.from === 'Metadata')
      found.add('cost.request from Metadata');
  }
  return [...found];
}

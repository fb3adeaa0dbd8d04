import { NormalisedMatch, RouteEntry } from './types';

/**
 * Route order within a virtual host, as Envoy Gateway v1.9.0 sorts its IR
 * routes (envoyproxy/gateway v1.9.0 internal/gatewayapi/sort.go, `Less` and
 * `sortXdsIRMap`), which implements the precedence listed in the
 * HTTPRouteRule comments of sigs.k8s.io/gateway-api v1.6.1
 * apis/v1/httproute_types.go: path type (Exact, then RegularExpression, then
 * PathPrefix), then longer path value, then more header matches, then more
 * Exact header matches, then more query param matches, then more Exact
 * ones. A method match is counted as a header match (`:method`, Exact), as
 * in internal/gatewayapi/route.go. Ties keep the input order (stable sort),
 * which is route creation time, then namespace/name
 * (internal/gatewayapi/resource/resource.go), then rule, then match order.
 */
function less(a: NormalisedMatch, b: NormalisedMatch): boolean {
  // 1. Path match type. Upstream only decides here for the pairs below and
  // falls through otherwise (same type, or a missing path on either side).
  if (a.path && b.path) {
    const [ta, tb] = [a.path.type, b.path.type];
    if (ta === 'Exact' && tb !== 'Exact') return false;
    if (ta === 'RegularExpression' && tb === 'Exact') return true;
    if (ta === 'RegularExpression' && tb === 'PathPrefix') return false;
    if (ta === 'PathPrefix' && tb !== 'PathPrefix') return true;
  }
  // 2. Characters in the path; prefix `/` counts as 0.
  const pa = pathCount(a);
  const pb = pathCount(b);
  if (pa !== pb) return pa < pb;
  // 3. Header matches, then Exact header matches.
  if (a.headers.length !== b.headers.length)
    return a.headers.length < b.headers.length;
  const ea = exactCount(a.headers);
  const eb = exactCount(b.headers);
  if (ea !== eb) return ea < eb;
  // 4. Cookie matches: not expressible in an HTTPRoute, always equal here.
  // 5. Query param matches, then Exact ones.
  if (a.queryParams.length !== b.queryParams.length) {
    return a.queryParams.length < b.queryParams.length;
  }
  return exactCount(a.queryParams) < exactCount(b.queryParams);
}

function pathCount(match: NormalisedMatch): number {
  if (!match.path) return 0;
  if (match.path.type === 'PathPrefix' && match.path.value === '/') return 0;
  return match.path.value.length;
}

function exactCount(matches: Array<{ type: string }>): number {
  return matches.filter(m => m.type === 'Exact').length;
}

/** Sorts in descending precedence, keeping input order for ties. */
export function sortByPrecedence(entries: RouteEntry[]): RouteEntry[] {
  return [...entries].sort((x, y) => {
    if (less(y.match, x.match)) return -1;
    if (less(x.match, y.match)) return 1;
    return 0;
  });
}

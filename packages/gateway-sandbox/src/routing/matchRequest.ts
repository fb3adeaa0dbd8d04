import { NormalisedMatch, RequestView } from './types';

/**
 * Whether a request satisfies one Envoy route match as Envoy Gateway v1.9.0
 * builds it (envoyproxy/gateway v1.9.0 internal/xds/translator/route.go
 * `buildXdsRouteMatch`, `buildPathMatch`) and Envoy evaluates it:
 * - PathPrefix `/` is a plain prefix; any other prefix, its trailing `/`
 *   removed, is a `path_separated_prefix`: the path equals it or continues
 *   with `/` (whole segments only).
 * - Exact compares the path without the query string.
 * - RegularExpression must match the whole path (Envoy `safe_regex`), and
 *   for headers/query params the whole value. Envoy uses RE2; this uses
 *   JavaScript RegExp, which accepts a superset (not verified further).
 * - Headers are matched case-insensitively by name; a repeated header is
 *   matched on its values joined with ',' (Envoy
 *   `HeaderUtility::getAllOfHeaderAsString`).
 * - Query parameters: the first value of the (URL-decoded) parameter. That
 *   Envoy compares the first occurrence was not verified against its source.
 */
export function matchesRequest(
  match: NormalisedMatch,
  request: RequestView,
): boolean {
  return (
    pathMatches(match, request.path) &&
    match.headers.every(h =>
      stringMatches(
        h.type,
        h.value,
        h.name === ':method'
          ? request.method
          : request.header(h.name.toLowerCase()),
      ),
    ) &&
    queryMatches(match, request.query)
  );
}

function pathMatches(match: NormalisedMatch, path: string): boolean {
  if (!match.path) return true;
  const { type, value } = match.path;
  if (type === 'Exact') return path === value;
  if (type === 'RegularExpression') return fullMatch(value, path);
  if (value === '/') return path.startsWith('/');
  const prefix = value.replace(/\/$/, '');
  return path === prefix || path.startsWith(`${prefix}/`);
}

function queryMatches(match: NormalisedMatch, query: string): boolean {
  if (match.queryParams.length === 0) return true;
  const params = new URLSearchParams(query);
  return match.queryParams.every(q =>
    stringMatches(q.type, q.value, params.get(q.name) ?? undefined),
  );
}

function stringMatches(
  type: string,
  expected: string,
  actual: string | undefined,
): boolean {
  if (actual === undefined) return false;
  return type === 'RegularExpression'
    ? fullMatch(expected, actual)
    : actual === expected;
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

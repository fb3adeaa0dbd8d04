import { GatewayRequest } from '../request';

/**
 * Header additions and removals of one Envoy header parser (a route's or a
 * weighted cluster's `request_headers_to_add`/`_to_remove`, or the response
 * ones), in configuration order.
 */
export interface HeaderMutations {
  /** `append`: Envoy's APPEND_IF_EXISTS_OR_ADD (Gateway API `add`); else OVERWRITE_IF_EXISTS_OR_ADD (`set`). */
  add: Array<{ name: string; value: string; append: boolean }>;
  remove: string[];
}

export function emptyMutations(): HeaderMutations {
  return { add: [], remove: [] };
}

export function hasMutations(m: HeaderMutations | undefined): boolean {
  return m !== undefined && (m.add.length > 0 || m.remove.length > 0);
}

/** envoyproxy/gateway v1.9.0 internal/gatewayapi/filters.go `HeaderValueRegexp` (RFC 7230). */
const HEADER_VALUE = /^[!-~]+([\t ]?[!-~]+)*$/;

/** filters.go `isModifiableHeader`: no `/` or `:` in the name, never `host`. */
function isModifiableHeader(name: string): boolean {
  return (
    !name.includes('/') && !name.includes(':') && name.toLowerCase() !== 'host'
  );
}

/**
 * Adds a RequestHeaderModifier or ResponseHeaderModifier (Gateway API
 * HTTPHeaderFilter) to `into`, as envoyproxy/gateway v1.9.0
 * internal/gatewayapi/filters.go `processRequestHeaderModifierFilter` and
 * `processResponseHeaderModifierFilter` translate it: `add` entries append,
 * `set` entries overwrite; a name already added or set in the same context
 * (this rule's, or this backendRef's, filters) is skipped, the first one
 * wins (case-insensitive), and so is a repeated removal. Returns Envoy
 * Gateway's error, if any: an empty or unmodifiable name (`host`, pseudo
 * headers) or a value outside RFC 7230 rejects the whole filter even when
 * other entries were valid, and so does a filter that ends up changing
 * nothing although it listed something.
 */
export function addHeaderModifier(
  into: HeaderMutations,
  spec: any,
): string | undefined {
  if (!spec) return undefined;
  const errors: string[] = [];
  let listed = false;
  const alreadyAdded = (name: string) =>
    into.add.some(h => h.name === name.toLowerCase());
  for (const [entries, append] of [
    [spec.add, true],
    [spec.set, false],
  ] as const) {
    for (const entry of Array.isArray(entries) ? entries : []) {
      listed = true;
      const name = String(entry?.name ?? '');
      const value = String(entry?.value ?? '');
      if (name === '') errors.push('a header with an empty name');
      else if (!isModifiableHeader(name))
        errors.push(`the header ${JSON.stringify(name)} (Host or pseudo)`);
      else if (!HEADER_VALUE.test(value))
        errors.push(`the header ${JSON.stringify(name)} with an invalid value`);
      else if (!alreadyAdded(name))
        into.add.push({ name: name.toLowerCase(), value, append });
    }
  }
  for (const entry of Array.isArray(spec.remove) ? spec.remove : []) {
    listed = true;
    const name = String(entry ?? '');
    if (name === '') errors.push('removing a header with an empty name');
    else if (!isModifiableHeader(name))
      errors.push(`removing the header ${JSON.stringify(name)}`);
    else if (!into.remove.includes(name.toLowerCase()))
      into.remove.push(name.toLowerCase());
  }
  if (listed && into.add.length === 0 && into.remove.length === 0)
    return 'the header modifier filter changes no header';
  if (errors.length > 0)
    return `the header modifier filter cannot change ${errors.join(', ')}`;
  return undefined;
}

/**
 * Envoy's HeaderParser `evaluateHeaders` (source/common/router/header_parser.cc):
 * removals first, then each addition in order, an append adding one more
 * entry and an overwrite replacing every entry of that name.
 */
export function applyRequestMutations(
  request: GatewayRequest,
  mutations: HeaderMutations | undefined,
): void {
  if (!mutations) return;
  for (const name of mutations.remove) request.removeHeader(name);
  for (const { name, value, append } of mutations.add) {
    if (append) request.headers.push([name, value]);
    else request.setHeader(name, value);
  }
}

/** The same on a response's headers (lower-case names, as Node gives them). */
export function applyResponseMutations(
  headers: Record<string, string | string[]>,
  mutations: HeaderMutations | undefined,
): void {
  if (!mutations) return;
  for (const name of mutations.remove) delete headers[name];
  for (const { name, value, append } of mutations.add) {
    const existing = headers[name];
    headers[name] =
      append && existing !== undefined ? [...[existing].flat(), value] : value;
  }
}

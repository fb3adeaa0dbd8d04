import { GatewayRequest } from '../request';
import { readCookie } from './apiKeyAuth';
import { JwtProviderConfig } from './jwtConfig';

/**
 * Where jwt_authn looks for tokens (envoyproxy/envoy
 * source/extensions/filters/http/jwt_authn/extractor.cc; tag not checked):
 * - locations of several providers are merged: one per header name +
 *   value prefix, per query parameter, per cookie, each remembering the
 *   issuers of the providers that use it (an empty issuer allows any);
 * - headers first (every value of the header is a token; with a prefix,
 *   the prefix is searched anywhere in the value, case-sensitively, and the
 *   token starts at the next base64url character after it and runs to the
 *   end), then query parameters (first value, decoded), then cookies;
 *   within each kind in name order (Envoy's sorted maps);
 * - before verifying, the headers named by the providers' claimToHeaders
 *   are removed (sanitizeHeaders), so a client cannot send them.
 */

export interface ExtractedToken {
  token: string;
  /** Whether a provider using this location accepts tokens of `issuer`. */
  allowsIssuer(issuer: string): boolean;
}

interface IssuerSet {
  any: boolean;
  issuers: Set<string>;
}

const JWT_CHARS = /[A-Za-z0-9_.-]/;

function addIssuer(
  map: Map<string, IssuerSet>,
  key: string,
  issuer: string,
): void {
  const set = map.get(key) ?? { any: false, issuers: new Set<string>() };
  if (issuer === '') set.any = true;
  else set.issuers.add(issuer);
  map.set(key, set);
}

const checker = (set: IssuerSet) => (issuer: string) =>
  set.any || set.issuers.has(issuer);

/** Entries in key order (std::map's, byte-wise for ASCII names). */
const byKey = <T>(map: Map<string, T>) =>
  [...map.entries()].sort(([a], [b]) => Number(a > b) - Number(a < b));

/** The tokens of `request` for these providers, in Envoy's order. */
export function extractTokens(
  providers: JwtProviderConfig[],
  request: GatewayRequest,
): ExtractedToken[] {
  const headers = new Map<string, IssuerSet>();
  const headerSpecs = new Map<string, { name: string; prefix: string }>();
  const params = new Map<string, IssuerSet>();
  const cookies = new Map<string, IssuerSet>();
  for (const p of providers) {
    for (const h of p.locations.headers) {
      addIssuer(headers, h.name + h.prefix, p.issuer);
      headerSpecs.set(h.name + h.prefix, h);
    }
    for (const param of p.locations.params) addIssuer(params, param, p.issuer);
    for (const cookie of p.locations.cookies)
      addIssuer(cookies, cookie, p.issuer);
  }

  const tokens: ExtractedToken[] = [];
  for (const [key, issuers] of byKey(headers)) {
    const { name, prefix } = headerSpecs.get(key)!;
    for (const value of request.allHeaders(name)) {
      let token = value;
      if (prefix) {
        const at = value.indexOf(prefix);
        if (at < 0) continue;
        token = tokenAfter(value, at + prefix.length);
      }
      tokens.push({ token, allowsIssuer: checker(issuers) });
    }
  }
  if (params.size > 0) {
    const query = new URLSearchParams(request.query);
    for (const [param, issuers] of byKey(params)) {
      const value = query.get(param);
      if (value !== null)
        tokens.push({ token: value, allowsIssuer: checker(issuers) });
    }
  }
  for (const [cookie, issuers] of byKey(cookies)) {
    const value = readCookie(request, cookie);
    if (value !== undefined)
      tokens.push({ token: value, allowsIssuer: checker(issuers) });
  }
  return tokens;
}

/** From the first JWT character at or after `from` to the end; else all. */
function tokenAfter(value: string, from: number): string {
  for (let i = from; i < value.length; i++) {
    if (JWT_CHARS.test(value[i])) return value.slice(i);
  }
  return value;
}

/** Removes the claimToHeaders headers of these providers. */
export function sanitizeClaimHeaders(
  providers: JwtProviderConfig[],
  request: GatewayRequest,
): void {
  for (const p of providers) {
    for (const { header } of p.claimToHeaders) request.removeHeader(header);
  }
}

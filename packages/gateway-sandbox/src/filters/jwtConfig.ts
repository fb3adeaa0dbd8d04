import { parseGoDuration } from './goDuration';
import { Jwk, parseJwks } from './jwks';
import { RemoteJwksSettings } from './remoteJwks';

/**
 * The jwt_authn configuration Envoy Gateway v1.9.0 builds from a
 * SecurityPolicy's `jwt`.
 *
 * - internal/gatewayapi/securitypolicy.go `buildJWT`,
 *   `validateJWTProvider`, `buildRemoteJWKS`: provider names non-empty,
 *   qualified names and unique; an issuer with `:` must be a URI (one with
 *   `@` an e-mail address); exactly one of `remoteJWKS`/`localJWKS`; a
 *   parseable remote URI; an inline local set; claimToHeaders with both
 *   fields; parseable durations. Any error makes the policy's routes a 500
 *   direct response (the caller's job).
 * - internal/xds/translator/jwt.go `buildJWTProvider`,
 *   `buildJWTRequirements`: one provider per entry with its issuer,
 *   audiences, claim_to_headers, `forward: true` (the token is never
 *   removed), the payload in metadata under the provider name with
 *   `scope`/`scp` split on spaces, `clear_route_cache` from
 *   `recomputeRoute`, the extractFrom locations; the route requires any one
 *   provider, plus allow_missing (`optional`) or allow_missing_or_failed
 *   (`failOpen`, which wins).
 * - api/v1alpha1/jwt_types.go: the fields and their defaults.
 *
 * Not reproduced (reported by `unsupportedJwtFields`, so the caller
 * refuses the request): `remoteJWKS.backendRefs`/`backendRef`/
 * `backendSettings` (another cluster, TLS, retries, timeouts) and
 * `localJWKS` of type ValueRef (ConfigMaps are not watched).
 */

export interface JwtHeaderLocation {
  /** Lower-case header name. */
  name: string;
  /** `valuePrefix`, '' for none. */
  prefix: string;
}

export interface JwtLocations {
  headers: JwtHeaderLocation[];
  params: string[];
  cookies: string[];
}

export interface JwtProviderConfig {
  name: string;
  /** '' = any issuer. */
  issuer: string;
  audiences: string[];
  keys:
    | { type: 'remote'; settings: RemoteJwksSettings }
    | { type: 'local'; keys: Jwk[] };
  claimToHeaders: Array<{ header: string; claim: string }>;
  recomputeRoute: boolean;
  locations: JwtLocations;
}

export interface JwtAuthnConfig {
  providers: JwtProviderConfig[];
  /** `optional`: a request without a token passes. */
  allowMissing: boolean;
  /** `failOpen`: a request without a valid token passes. */
  allowMissingOrFailed: boolean;
}

/** Envoy's default locations: `Authorization: Bearer ` and `access_token`. */
const DEFAULT_LOCATIONS: JwtLocations = {
  headers: [{ name: 'authorization', prefix: 'Bearer ' }],
  params: ['access_token'],
  cookies: [],
};

const DEFAULT_CACHE_DURATION = '300s';
const DEFAULT_FAILED_REFETCH_MS = 1000;

function unknownKeys(value: any, known: string[], path: string): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value)
    .filter(key => !known.includes(key))
    .map(key => `${path}.${key}`);
}

/** Fields of `spec.jwt` this double does not reproduce. */
export function unsupportedJwtFields(jwt: any): string[] {
  const found = unknownKeys(jwt, ['optional', 'failOpen', 'providers'], 'jwt');
  for (const provider of Array.isArray(jwt?.providers) ? jwt.providers : []) {
    const at = 'jwt.providers[]';
    found.push(
      ...unknownKeys(
        provider,
        [
          'name',
          'issuer',
          'audiences',
          'remoteJWKS',
          'localJWKS',
          'claimToHeaders',
          'recomputeRoute',
          'extractFrom',
        ],
        at,
      ),
      ...unknownKeys(
        provider?.remoteJWKS,
        ['uri', 'cacheDuration', 'failedRefetchDuration'],
        `${at}.remoteJWKS`,
      ),
      ...unknownKeys(
        provider?.extractFrom,
        ['headers', 'cookies', 'params'],
        `${at}.extractFrom`,
      ),
    );
    const local = provider?.localJWKS;
    if (local && (local.type === 'ValueRef' || local.valueRef !== undefined))
      found.push(`${at}.localJWKS.valueRef`);
  }
  return [...new Set(found)];
}

/** Kubernetes `IsQualifiedName` (optional DNS subdomain prefix + `/`). */
function isQualifiedName(name: string): boolean {
  const parts = name.split('/');
  const last = parts[parts.length - 1];
  if (
    parts.length > 2 ||
    !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(last)
  )
    return false;
  if (last.length > 63) return false;
  if (parts.length === 2) {
    const prefix = parts[0];
    return (
      prefix.length > 0 &&
      prefix.length <= 253 &&
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(
        prefix,
      )
    );
  }
  return true;
}

/** Go `url.ParseRequestURI`: an absolute URI or an absolute path. */
function isRequestUri(text: string): boolean {
  if (text.startsWith('/')) return true;
  try {
    return new URL(text).protocol.length > 1;
  } catch {
    return false;
  }
}

function validationErrors(providers: any[]): string[] {
  const errors: string[] = [];
  const names = new Set<string>();
  for (const p of providers) {
    const name = typeof p?.name === 'string' ? p.name : '';
    const before = errors.length;
    if (!name) errors.push('jwt provider cannot be an empty string');
    const issuer = typeof p?.issuer === 'string' ? p.issuer : '';
    if (issuer.includes(':') && !isRequestUri(issuer))
      errors.push('invalid issuer; it must be a valid URI');
    else if (
      !issuer.includes(':') &&
      issuer.includes('@') &&
      !/^[^@\s<>]+@[^@\s<>]+$/.test(issuer)
    )
      errors.push('invalid issuer; it must be a valid e-mail address');
    if (!p?.remoteJWKS === !p?.localJWKS)
      errors.push(`either remoteJWKS or localJWKS must be specified: ${name}`);
    if (p?.remoteJWKS) {
      const uri = p.remoteJWKS.uri;
      if (typeof uri !== 'string' || uri === '')
        errors.push(`uri must be set for remote JWKS provider: ${name}`);
      else if (!isRequestUri(uri)) errors.push('invalid remote JWKS URI');
    }
    if (
      p?.localJWKS &&
      (p.localJWKS.type ?? 'Inline') === 'Inline' &&
      typeof p.localJWKS.inline !== 'string'
    )
      errors.push(`inline JWKS must be set for local JWKS provider: ${name}`);
    if (errors.length === before) {
      if (!isQualifiedName(name)) errors.push(`invalid provider name ${name}`);
      if (names.has(name)) errors.push(`provider name ${name} must be unique`);
      names.add(name);
    }
    for (const c of p?.claimToHeaders ?? []) {
      if (!c?.header) errors.push('header must be set for claimToHeader');
      else if (!c?.claim) errors.push('claim must be set for claimToHeader');
    }
  }
  return errors;
}

function locationsOf(extractFrom: any): JwtLocations {
  const locations: JwtLocations = {
    headers: (extractFrom?.headers ?? []).map((h: any) => ({
      name: String(h.name).toLowerCase(),
      prefix: h.valuePrefix ?? '',
    })),
    params: [...(extractFrom?.params ?? [])],
    cookies: [...(extractFrom?.cookies ?? [])],
  };
  const empty =
    locations.headers.length === 0 &&
    locations.params.length === 0 &&
    locations.cookies.length === 0;
  return empty ? DEFAULT_LOCATIONS : locations;
}

/** The filter config, or the reason Envoy Gateway would answer 500. */
export function buildJwtConfig(jwt: any): JwtAuthnConfig | { error: string } {
  const specProviders: any[] = Array.isArray(jwt?.providers)
    ? jwt.providers
    : [];
  if (specProviders.length === 0)
    return { error: 'jwt needs at least one provider' };
  const errors = validationErrors(specProviders);
  if (errors.length > 0) return { error: errors.join('; ') };
  const providers: JwtProviderConfig[] = [];
  for (const p of specProviders) {
    let keys: JwtProviderConfig['keys'];
    if (p.remoteJWKS) {
      const cacheDurationMs = parseGoDuration(
        p.remoteJWKS.cacheDuration ?? DEFAULT_CACHE_DURATION,
      );
      const failedRefetchMs =
        p.remoteJWKS.failedRefetchDuration === undefined
          ? DEFAULT_FAILED_REFETCH_MS
          : parseGoDuration(p.remoteJWKS.failedRefetchDuration);
      if (cacheDurationMs === undefined || failedRefetchMs === undefined)
        return { error: `invalid duration in provider ${p.name}` };
      keys = {
        type: 'remote',
        settings: { uri: p.remoteJWKS.uri, cacheDurationMs, failedRefetchMs },
      };
    } else {
      // An invalid inline set leaves the provider without keys (Envoy logs
      // a warning; its requests fail with "Jwks doesn't have any valid
      // public key").
      const parsed = parseJwks(p.localJWKS.inline);
      keys = { type: 'local', keys: parsed.ok ? parsed.keys : [] };
    }
    providers.push({
      name: p.name,
      issuer: p.issuer ?? '',
      audiences: [...(p.audiences ?? [])],
      keys,
      claimToHeaders: (p.claimToHeaders ?? []).map((c: any) => ({
        header: String(c.header).toLowerCase(),
        claim: String(c.claim),
      })),
      recomputeRoute: p.recomputeRoute === true,
      locations: locationsOf(p.extractFrom),
    });
  }
  return {
    providers,
    allowMissing: jwt.optional === true,
    allowMissingOrFailed: jwt.failOpen === true,
  };
}

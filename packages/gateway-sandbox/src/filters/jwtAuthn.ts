import { GatewayRequest } from '../request';
import { Jwk, verifySignature } from './jwks';
import { JwtAuthnConfig, JwtProviderConfig } from './jwtConfig';
import {
  ExtractedToken,
  extractTokens,
  sanitizeClaimHeaders,
} from './jwtExtractor';
import {
  JwtStatus,
  JwtStatusText,
  audiencesAllowed,
  checkTimes,
  parseJwt,
} from './jwtToken';
import { RemoteJwksCache } from './remoteJwks';

/**
 * Envoy's jwt_authn HTTP filter on one route, as Envoy Gateway v1.9.0
 * configures it (see jwtConfig.ts).
 *
 * Upstream (envoyproxy/envoy source/extensions/filters/http/jwt_authn/,
 * read at commits whose tag could not be checked; Envoy v1.39.0 assumed):
 * - verifier.cc: the route requires any one provider; each provider, then
 *   the allow-missing(-or-failed) requirement if any, is tried in order
 *   until one passes; when none does, the last one's status is the answer.
 *   Each first removes its claimToHeaders headers, then extracts tokens.
 *   The allow-missing requirement reads every provider's locations and
 *   picks the provider by the token's issuer (first with that issuer, else
 *   the first without one).
 * - authenticator.cc: no token = "Jwt is missing"; tokens are checked last
 *   extracted first and all must pass (unless failures are allowed); per
 *   token: parse, issuer allowed by its location, times (60 s skew),
 *   audiences, keys (local set, or the remote set, fetched when missing),
 *   signature. A good token adds its claimToHeaders headers (string as is,
 *   number as an integer when it is one, else `%f`; booleans; objects and
 *   lists as base64 JSON; nothing for null or empty strings), keeps the
 *   token (Envoy Gateway sets `forward`), and stores its payload, `scope`
 *   and `scp` split on spaces, in the request's jwt_authn metadata under the
 *   provider name (only when the filter passes). With recomputeRoute, an
 *   added header clears the route cache.
 * - filter.cc `onComplete`: 403 for "Audiences in Jwt are not allowed",
 *   401 otherwise; the status text as body; `www-authenticate: Bearer
 *   realm="<scheme>://<host><path>"` (path with query, cut at 256
 *   characters), plus `, error="invalid_token"` unless the token is missing.
 */

/** The jwt_authn dynamic metadata: provider name -> verified payload. */
export type JwtPayloads = Record<string, Record<string, unknown>>;

export type JwtAuthnResult =
  | { allowed: true; payloads: JwtPayloads; clearRouteCache: boolean }
  | {
      allowed: false;
      status: number;
      body: string;
      headers: Record<string, string>;
    };

export interface JwtAuthnContext {
  /** Milliseconds since the epoch. */
  clock: () => number;
  jwks: RemoteJwksCache;
}

interface Requirement {
  providers: JwtProviderConfig[];
  /** A single provider (provider_name), or found by issuer (allow missing). */
  byIssuer: boolean;
  allowMissing: boolean;
  allowFailed: boolean;
}

interface RequestState {
  request: GatewayRequest;
  ctx: JwtAuthnContext;
  payloads: JwtPayloads;
  clearRouteCache: boolean;
}

const MAX_REALM_PATH = 256;

export async function authenticateJwt(
  config: JwtAuthnConfig,
  request: GatewayRequest,
  ctx: JwtAuthnContext,
): Promise<JwtAuthnResult> {
  const requirements: Requirement[] = config.providers.map(p => ({
    providers: [p],
    byIssuer: false,
    allowMissing: false,
    allowFailed: false,
  }));
  if (config.allowMissingOrFailed || config.allowMissing) {
    requirements.push({
      providers: config.providers,
      byIssuer: true,
      allowMissing: true,
      allowFailed: config.allowMissingOrFailed,
    });
  }
  const state: RequestState = {
    request,
    ctx,
    payloads: {},
    clearRouteCache: false,
  };
  let status: JwtStatusText = JwtStatus.JwtMissed;
  for (const requirement of requirements) {
    sanitizeClaimHeaders(requirement.providers, request);
    status = await authenticate(
      requirement,
      extractTokens(requirement.providers, request),
      state,
    );
    if (status === JwtStatus.Ok) {
      return {
        allowed: true,
        payloads: state.payloads,
        clearRouteCache: state.clearRouteCache,
      };
    }
  }
  return denial(status, request);
}

async function authenticate(
  requirement: Requirement,
  tokens: ExtractedToken[],
  state: RequestState,
): Promise<JwtStatusText> {
  let status: JwtStatusText = JwtStatus.JwtMissed;
  const pending = [...tokens];
  while (pending.length > 0) {
    status = await verifyToken(requirement, pending.pop()!, state);
    const mayContinue = requirement.allowFailed || requirement.allowMissing;
    if (status !== JwtStatus.Ok && !mayContinue) return status;
  }
  if (requirement.allowFailed) return JwtStatus.Ok;
  if (requirement.allowMissing && status === JwtStatus.JwtMissed)
    return JwtStatus.Ok;
  return status;
}

function providerFor(
  requirement: Requirement,
  issuer: string,
): JwtProviderConfig | undefined {
  if (!requirement.byIssuer) return requirement.providers[0];
  const { providers } = requirement;
  return (
    providers.find(p => p.issuer === issuer) ??
    (issuer !== '' ? providers.find(p => p.issuer === '') : undefined)
  );
}

async function verifyToken(
  requirement: Requirement,
  extracted: ExtractedToken,
  state: RequestState,
): Promise<JwtStatusText> {
  const parsed = parseJwt(extracted.token);
  if (!parsed.ok) return parsed.status;
  const { jwt } = parsed;
  if (!extracted.allowsIssuer(jwt.iss)) return JwtStatus.JwtUnknownIssuer;
  const provider = providerFor(requirement, jwt.iss);
  if (!provider) return JwtStatus.JwtUnknownIssuer;
  const times = checkTimes(jwt, Math.floor(state.ctx.clock() / 1000));
  if (times !== JwtStatus.Ok) return times;
  if (!audiencesAllowed(provider.audiences, jwt.audiences))
    return JwtStatus.JwtAudienceNotAllowed;

  let keys: Jwk[] | undefined;
  if (provider.keys.type === 'local') {
    keys = provider.keys.keys;
    if (keys.length === 0) return JwtStatus.JwksNoValidKeys;
  } else {
    keys = await state.ctx.jwks.keys(provider.keys.settings);
    if (!keys) return JwtStatus.JwksFetchFail;
  }
  const signature = verifySignature(jwt, keys);
  if (signature !== JwtStatus.Ok) return signature;

  let headerAdded = false;
  for (const { header, claim } of provider.claimToHeaders) {
    const value = claimHeaderValue(jwt.payload, claim);
    if (value) {
      state.request.headers.push([header, value]);
      headerAdded = true;
    }
  }
  if (provider.recomputeRoute && headerAdded) state.clearRouteCache = true;
  state.payloads[provider.name] = normalizedPayload(jwt.payload);
  return JwtStatus.Ok;
}

/** The claim at a dotted path (each step must be an object). */
export function claimAt(
  payload: Record<string, unknown>,
  path: string,
): unknown {
  let current: unknown = payload;
  for (const step of path.split('.')) {
    if (
      current === null ||
      typeof current !== 'object' ||
      Array.isArray(current)
    )
      return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

function claimHeaderValue(
  payload: Record<string, unknown>,
  claim: string,
): string {
  const value = claimAt(payload, claim);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    return value >= 0 && value < 2 ** 64 && Number.isInteger(value)
      ? BigInt(value).toString()
      : value.toFixed(6);
  }
  if (value !== null && typeof value === 'object')
    return Buffer.from(JSON.stringify(value)).toString('base64');
  return '';
}

function normalizedPayload(
  payload: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...payload };
  for (const claim of ['scope', 'scp']) {
    const value = payload[claim];
    const items =
      typeof value === 'string' ? value.split(' ').filter(s => s !== '') : [];
    // Envoy builds the list while adding items: none, and the string stays.
    if (items.length > 0) out[claim] = items;
  }
  return out;
}

function denial(
  status: JwtStatusText,
  request: GatewayRequest,
): JwtAuthnResult {
  const path = request.pathAndQuery.slice(0, MAX_REALM_PATH);
  let challenge = `Bearer realm="http://${request.host}${path}"`;
  if (status !== JwtStatus.JwtMissed) challenge += ', error="invalid_token"';
  return {
    allowed: false,
    status: status === JwtStatus.JwtAudienceNotAllowed ? 403 : 401,
    body: status,
    headers: { 'www-authenticate': challenge },
  };
}

import { GatewayObjectCache } from '../objects/objectCache';
import { GatewayRequest } from '../request';
import { GatewayRef } from '../routing/attachment';
import { RouteEntry } from '../routing/types';
import { authenticateApiKey } from './apiKeyAuth';
import { authorizeRequest } from './authorization';
import { JwtPayloads, authenticateJwt } from './jwtAuthn';
import { RemoteJwksCache } from './remoteJwks';
import { loadSecurityPolicy } from './securityPolicy';

/**
 * The SecurityPolicy filters in Envoy Gateway v1.9.0's order
 * (internal/xds/translator/httpfilters.go `newOrderedHTTPFilter`):
 * api_key_auth (7) and jwt_authn (10) run on the route selected from the
 * request headers, before AI Gateway's ext_proc reads the body; rbac (301)
 * runs after it (AI Gateway v1.1.0 internal/extensionserver/
 * post_translate_modify.go puts its ext_proc before the first rbac filter),
 * so on the route selected again from the body's model, with the jwt_authn
 * metadata of the first route's providers. Each filter uses the per-route
 * config of the route it sees; a route without one skips the filter.
 */

export interface SecurityContext {
  cache: GatewayObjectCache;
  gateway: GatewayRef;
  jwks: RemoteJwksCache;
  /** Milliseconds since the epoch (JWT times, JWKS refreshes). */
  clock: () => number;
}

export interface Denial {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export type AuthenticationOutcome =
  | { type: 'denied'; denial: Denial }
  | {
      type: 'passed';
      jwtPayloads: JwtPayloads;
      /** jwt_authn cleared the route cache (`recomputeRoute`). */
      recomputeRoute: boolean;
    };

/** api_key_auth, then jwt_authn, with `entry`'s policy. */
export async function authenticate(
  ctx: SecurityContext,
  entry: RouteEntry,
  request: GatewayRequest,
): Promise<AuthenticationOutcome> {
  const passed = {
    type: 'passed' as const,
    jwtPayloads: {},
    recomputeRoute: false,
  };
  const load = loadSecurityPolicy(ctx.cache, entry, ctx.gateway);
  if (load.type === 'none') return passed;
  if (load.type === 'refused') return { type: 'denied', denial: load };
  const { apiKeyAuth, jwt } = load.config;
  if (apiKeyAuth) {
    const result = authenticateApiKey(apiKeyAuth, request);
    if (!result.allowed) return { type: 'denied', denial: result };
  }
  if (!jwt) return passed;
  const result = await authenticateJwt(jwt, request, ctx);
  if (!result.allowed) return { type: 'denied', denial: result };
  return {
    type: 'passed',
    jwtPayloads: result.payloads,
    recomputeRoute: result.clearRouteCache,
  };
}

/** rbac with `entry`'s policy (the route selected last). */
export function authorize(
  ctx: SecurityContext,
  entry: RouteEntry,
  request: GatewayRequest,
  jwtPayloads: JwtPayloads,
): Denial | undefined {
  const load = loadSecurityPolicy(ctx.cache, entry, ctx.gateway);
  if (load.type === 'none') return undefined;
  if (load.type === 'refused') return load;
  const { authorization } = load.config;
  if (!authorization) return undefined;
  const result = authorizeRequest(authorization, { request, jwtPayloads });
  return result.allowed ? undefined : result;
}

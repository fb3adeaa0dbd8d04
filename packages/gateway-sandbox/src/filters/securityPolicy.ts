import { GatewayObjectCache } from '../objects/objectCache';
import { KubeObject } from '../objects/types';
import { GatewayRef } from '../routing/attachment';
import { RouteEntry } from '../routing/types';
import { ApiKeyAuthConfig, buildApiKeyAuthConfig } from './apiKeyAuth';
import {
  AuthorizationConfig,
  buildAuthorizationConfig,
  unsupportedAuthorizationFields,
} from './authorization';
import {
  JwtAuthnConfig,
  buildJwtConfig,
  unsupportedJwtFields,
} from './jwtConfig';
import { findAttachedPolicy } from './policyAttachment';

/** The SecurityPolicy of a route rule (see `findAttachedPolicy`). */
export function findSecurityPolicy(
  cache: GatewayObjectCache,
  entry: RouteEntry,
  gateway: GatewayRef,
): KubeObject | undefined {
  return findAttachedPolicy(cache, 'SecurityPolicy', entry, gateway);
}

/**
 * Security features (and fields of the reproduced ones) this double does
 * not reproduce. A request to a route whose policy uses one is refused
 * with a 500, never let through.
 */
export function unsupportedSecurityFeatures(policy: KubeObject): string[] {
  const spec = policy.spec ?? {};
  const features = ['oidc', 'basicAuth', 'extAuth', 'cors', 'csrf'].filter(
    f => spec[f] !== undefined,
  );
  if (spec.jwt !== undefined) features.push(...unsupportedJwtFields(spec.jwt));
  if (spec.authorization !== undefined)
    features.push(...unsupportedAuthorizationFields(spec.authorization));
  return features;
}

export interface BuiltSecurityPolicy {
  apiKeyAuth?: ApiKeyAuthConfig;
  jwt?: JwtAuthnConfig;
  authorization?: AuthorizationConfig;
}

export type SecurityPolicyLoad =
  | { type: 'none' }
  | { type: 'refused'; status: number; body: string }
  | { type: 'built'; config: BuiltSecurityPolicy };

/**
 * The filter configs of a route's SecurityPolicy. Envoy Gateway
 * (internal/gatewayapi/securitypolicy.go `translateSecurityPolicyForRoute`)
 * turns the routes of a policy any part of which fails to build into a
 * 500 direct response without a body; a feature this double lacks is a
 * 500 saying so.
 */
export function loadSecurityPolicy(
  cache: GatewayObjectCache,
  entry: RouteEntry,
  gateway: GatewayRef,
): SecurityPolicyLoad {
  const policy = findSecurityPolicy(cache, entry, gateway);
  if (!policy) return { type: 'none' };
  const name = `${policy.metadata.namespace}/${policy.metadata.name}`;
  const unsupported = unsupportedSecurityFeatures(policy);
  if (unsupported.length > 0) {
    return {
      type: 'refused',
      status: 500,
      body: `gateway-sandbox: SecurityPolicy ${name} uses ${unsupported.join(
        ', ',
      )}, which this test double does not support yet; request refused\n`,
    };
  }
  const spec = policy.spec;
  const apiKeyAuth = spec.apiKeyAuth
    ? buildApiKeyAuthConfig(policy, cache)
    : undefined;
  const jwt = spec.jwt ? buildJwtConfig(spec.jwt) : undefined;
  const authorization = spec.authorization
    ? buildAuthorizationConfig(spec.authorization)
    : undefined;
  if (
    (apiKeyAuth && 'error' in apiKeyAuth) ||
    (jwt && 'error' in jwt) ||
    (authorization && 'error' in authorization)
  ) {
    return { type: 'refused', status: 500, body: '' };
  }
  return { type: 'built', config: { apiKeyAuth, jwt, authorization } };
}

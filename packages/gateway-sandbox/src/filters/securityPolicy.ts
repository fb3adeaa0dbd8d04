import { GatewayObjectCache } from '../objects/objectCache';
import { KubeObject } from '../objects/types';
import { GatewayRef } from '../routing/attachment';
import { RouteEntry } from '../routing/types';
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
 * Security features this slice does not reproduce. A request to a route
 * whose policy uses one is refused with a 500, never let through.
 */
export function unsupportedSecurityFeatures(policy: KubeObject): string[] {
  const features = [
    'jwt',
    'authorization',
    'oidc',
    'basicAuth',
    'extAuth',
    'cors',
    'csrf',
  ];
  return features.filter(f => policy.spec?.[f] !== undefined);
}

import type {
  DriftedField,
  DriftedObject,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { KINDS } from '@inference-in-a-box/backstage-plugin-inference-node';

/**
 * Which drift weakens a publication's guards, and so is put back at once by the check itself
 * (docs/architecture.md, "Drift"). Everything else waits for a person to press Reconcile:
 *
 * - SecurityPolicy (API keys, JWT, authorization rules) and Istio AuthorizationPolicy: any change
 *   to `spec`, or the object missing.
 * - BackendTrafficPolicy: the object missing, or a rate limit taken away (a rule or its per-key
 *   client selectors removed or changed, the target changed). A changed number or unit in a rule's
 *   `limit` is not restored by itself: an operator may raise a limit during an incident on purpose,
 *   and that shows as drift until someone reconciles it (the acceptance asks for exactly
 *   this).
 * - The key Secret: a key added or a key's value changed by hand (a credential the portal did not
 *   issue). A key removed by hand fails closed and is not restorable (the portal keeps only
 *   digests), so it waits.
 * - A guard that is missing while the route is missing too protects nothing: it waits as well.
 */
const LIMIT_VALUE =
  /^spec\.rateLimit\.global\.rules\.\d+\.limit\.(requests|unit)$/;

const isKind = (o: { kind: string }, ref: { kind: string }) =>
  o.kind === ref.kind;

function specChanged(fields: DriftedField[]): DriftedField[] {
  return fields.filter(f => f.path === 'spec' || f.path.startsWith('spec.'));
}

function weakensTrafficPolicy(fields: DriftedField[]): boolean {
  return specChanged(fields).some(f => {
    if (!LIMIT_VALUE.test(f.path)) return true;
    // A limit value that disappears means its rule went away.
    return f.after === undefined;
  });
}

function weakensSecret(fields: DriftedField[]): boolean {
  return fields.some(f => /^data[.[]/.test(f.path) && f.after !== undefined);
}

export function weakensGuard(
  object: Pick<DriftedObject, 'kind' | 'change' | 'fields'>,
  routeExists: boolean,
): boolean {
  const guardKinds = [
    KINDS.securityPolicy,
    KINDS.authorizationPolicy,
    KINDS.backendTrafficPolicy,
  ];
  if (object.change === 'extra') return false;
  if (object.change === 'missing')
    return routeExists && guardKinds.some(k => isKind(object, k));
  if (
    isKind(object, KINDS.securityPolicy) ||
    isKind(object, KINDS.authorizationPolicy)
  )
    return specChanged(object.fields).length > 0;
  if (isKind(object, KINDS.backendTrafficPolicy))
    return weakensTrafficPolicy(object.fields);
  if (isKind(object, KINDS.secret)) return weakensSecret(object.fields);
  return false;
}

import { isPlainObject } from '../schema/structuralValidator';
import { KubeObject } from '../store/types';
import { ControllerClient } from './controllerClient';

type Json = Record<string, unknown>;

/** The referring side of a cross-namespace reference. */
export interface ReferenceFrom {
  group: string;
  kind: string;
  namespace: string;
}

/** The referred-to side; `name` is only compared when the grant names one. */
export interface ReferenceTo {
  group: string;
  kind: string;
  namespace: string;
  name?: string;
}

const GRANT_API_VERSIONS = [
  'gateway.networking.k8s.io/v1',
  'gateway.networking.k8s.io/v1beta1',
];

function grantsIn(client: ControllerClient, namespace: string): KubeObject[] {
  const apiVersion = GRANT_API_VERSIONS.find(v =>
    client.serves(v, 'ReferenceGrant'),
  );
  return apiVersion ? client.list(apiVersion, 'ReferenceGrant', namespace) : [];
}

function entries(spec: Json, field: 'from' | 'to'): Json[] {
  return Array.isArray(spec[field])
    ? (spec[field] as unknown[]).filter(isPlainObject)
    : [];
}

/**
 * Whether a Gateway API ReferenceGrant in the target namespace allows the reference: one of its
 * `from` entries matches group, kind and namespace of the referrer, and one of its `to` entries
 * matches group and kind (and name, when the entry names one) of the target. Envoy Gateway
 * (internal/gatewayapi/helpers.go `isCrossNamespaceReferencePermitted`) and Envoy AI Gateway
 * (internal/controller/referencegrant.go) read grants this way; AI Gateway ignores `to.name`,
 * which callers get by leaving `to.name` out.
 */
export function isReferencePermitted(
  client: ControllerClient,
  from: ReferenceFrom,
  to: ReferenceTo,
): boolean {
  if (from.namespace === to.namespace) return true;
  return grantsIn(client, to.namespace).some(grant => {
    const spec = isPlainObject(grant.spec) ? grant.spec : {};
    const fromOk = entries(spec, 'from').some(
      f =>
        (f.group ?? '') === from.group &&
        f.kind === from.kind &&
        f.namespace === from.namespace,
    );
    const toOk = entries(spec, 'to').some(
      t =>
        (t.group ?? '') === to.group &&
        t.kind === to.kind &&
        (to.name === undefined || !t.name || t.name === to.name),
    );
    return fromOk && toOk;
  });
}

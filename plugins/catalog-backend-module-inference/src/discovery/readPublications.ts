import {
  ClusterClient,
  KubeObject,
  readPublishRequest,
} from '@internal/backstage-plugin-inference-backend';
import {
  LABEL_MODEL,
  ownershipSelector,
} from '@internal/backstage-plugin-inference-common';
import type { ModelPublication } from './types';

/**
 * The kinds `readPublishRequest` reads a publication from: the route (public name, hostname,
 * path), the SecurityPolicy (JWT) and the BackendTrafficPolicy (limits). The other kinds of a
 * publication (Secret, backends, AuthorizationPolicy) say nothing the catalog shows.
 */
const RECORD_KINDS = [
  { apiVersion: 'aigateway.envoyproxy.io/v1beta1', kind: 'AIGatewayRoute' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
  { apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'SecurityPolicy' },
  {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'BackendTrafficPolicy',
  },
] as const;

type Json = Record<string, any>;

/** The path prefix of a predictive model's HTTPRoute: part of its public endpoint. */
function routePathPrefix(objects: KubeObject[]): string {
  const route = objects.find(o => o.kind === 'HTTPRoute');
  const value = (route?.spec as Json | undefined)?.rules?.[0]?.matches?.[0]
    ?.path?.value;
  return typeof value === 'string' ? value.replace(/\/+$/, '') : '';
}

function toPublication(objects: KubeObject[]): ModelPublication | undefined {
  const request = readPublishRequest(objects);
  if (!request) {
    return undefined;
  }
  const base = `https://${request.hostname}`;
  return {
    request,
    endpoint:
      request.modelType === 'openai'
        ? `${base}/v1`
        : `${base}${routePathPrefix(objects)}`,
  };
}

/**
 * The publications of a tenant's models, keyed by the model label value (`toLabelValue(name)`).
 * Only objects the portal labelled for this tenant count.
 */
export async function readPublications(
  cluster: ClusterClient,
  tenant: { name: string; namespace: string },
): Promise<Map<string, ModelPublication>> {
  const labelSelector = ownershipSelector({ tenant: tenant.name });
  const perKind = await Promise.all(
    RECORD_KINDS.map(({ apiVersion, kind }) =>
      cluster.list(apiVersion, kind, {
        namespace: tenant.namespace,
        labelSelector,
      }),
    ),
  );
  const byModel = new Map<string, KubeObject[]>();
  for (const object of perKind.flat()) {
    const model = object.metadata.labels?.[LABEL_MODEL];
    if (model) {
      byModel.set(model, [...(byModel.get(model) ?? []), object]);
    }
  }
  const publications = new Map<string, ModelPublication>();
  for (const [model, objects] of byModel) {
    const publication = toPublication(objects);
    if (publication) {
      publications.set(model, publication);
    }
  }
  return publications;
}

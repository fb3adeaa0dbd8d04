import { ownershipSelector } from '@internal/backstage-plugin-inference-common';
import type { ClusterClient, KubeObject } from '../../cluster/types';

/**
 * Every kind a publication may consist of. Listing by the ownership labels across these kinds is
 * how the current state of a publication is read, diffed, pruned and deleted; the
 * InferenceService itself is not among them, so unpublishing never touches the model.
 */
const ROUTE_KIND_NAMES: string[] = ['AIGatewayRoute', 'HTTPRoute'];

export const PUBLICATION_KINDS = [
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'SecurityPolicy' },
  {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'BackendTrafficPolicy',
  },
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' },
  { apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'Backend' },
  { apiVersion: 'aigateway.envoyproxy.io/v1beta1', kind: 'AIServiceBackend' },
  { apiVersion: 'aigateway.envoyproxy.io/v1beta1', kind: 'AIGatewayRoute' },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
] as const;

/** Enough of a publication to call it: its key Secret and its route (name, hostname, type). */
export const INVOCATION_KINDS = PUBLICATION_KINDS.filter(
  k => k.kind === 'Secret' || ROUTE_KIND_NAMES.includes(k.kind),
);

/** Kinds that make a model reachable: applied after everything that guards them, deleted first. */
export const ROUTE_KINDS = new Set<string>(ROUTE_KIND_NAMES);

/** The objects of one publication as they are in the cluster (all kinds, listed concurrently). */
export async function listPublicationObjects(
  cluster: ClusterClient,
  namespace: string,
  publication: { tenant: string; model?: string },
  kinds: ReadonlyArray<{
    apiVersion: string;
    kind: string;
  }> = PUBLICATION_KINDS,
): Promise<KubeObject[]> {
  const labelSelector = ownershipSelector(publication);
  const perKind = await Promise.all(
    kinds.map(({ apiVersion, kind }) =>
      cluster.list(apiVersion, kind, { namespace, labelSelector }),
    ),
  );
  return perKind.flat();
}

import {
  LABEL_MODEL,
  ownershipSelector,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ClusterClient, KubeObject } from '../cluster/types';
import { KINDS, KindRef } from '../kinds';

/**
 * Every kind a publication may consist of. Listing by the ownership labels across these kinds is
 * how the current state of a publication is read, diffed, pruned and deleted; the
 * InferenceService itself is not among them, so unpublishing never touches the model.
 * @public
 */
export const PUBLICATION_KINDS: readonly KindRef[] = [
  KINDS.secret,
  KINDS.securityPolicy,
  KINDS.backendTrafficPolicy,
  KINDS.authorizationPolicy,
  KINDS.backend,
  KINDS.aiServiceBackend,
  KINDS.aiGatewayRoute,
  KINDS.httpRoute,
];

/**
 * Kinds that make a model reachable: applied after everything that guards them, deleted first.
 * @public
 */
export const ROUTE_KINDS: ReadonlySet<string> = new Set([
  KINDS.aiGatewayRoute.kind,
  KINDS.httpRoute.kind,
]);

/**
 * The kinds `readPublishRequest` reads a publication's request from: the route (public name,
 * hostname), the SecurityPolicy (JWT) and the BackendTrafficPolicy (limits).
 * @public
 */
export const PUBLICATION_RECORD_KINDS: readonly KindRef[] = [
  KINDS.aiGatewayRoute,
  KINDS.httpRoute,
  KINDS.securityPolicy,
  KINDS.backendTrafficPolicy,
];

/**
 * Whether the portal wrote an object, rather than a controller that generated it from one the
 * portal wrote. The AI Gateway controller copies every label (and annotation) of an
 * AIGatewayRoute onto the HTTPRoute of the same name it generates, and makes itself that route's
 * controller owner (envoyproxy/ai-gateway v1.1.0 internal/controller/ai_gateway_route.go
 * `syncAIGatewayRoute`, `newHTTPRoute`). The ownership labels alone would claim that HTTPRoute, and
 * every republish would plan to delete it. The portal never sets ownerReferences, so an object with
 * a controller owner is never part of a publication's state, plan or prune.
 * @public
 */
export function isPortalWritten(object: KubeObject): boolean {
  const owners = object.metadata.ownerReferences as
    | { controller?: boolean }[]
    | undefined;
  return !owners?.some(owner => owner.controller === true);
}

/**
 * The objects of a tenant's publications (or of one model's) as they are in the cluster, all
 * kinds listed concurrently; objects a controller generated from them are left out
 * ({@link isPortalWritten}).
 * @public
 */
export async function listPublicationObjects(
  cluster: ClusterClient,
  namespace: string,
  publication: { tenant: string; model?: string },
  kinds: readonly KindRef[] = PUBLICATION_KINDS,
): Promise<KubeObject[]> {
  const labelSelector = ownershipSelector(publication);
  const perKind = await Promise.all(
    kinds.map(({ apiVersion, kind }) =>
      cluster.list(apiVersion, kind, { namespace, labelSelector }),
    ),
  );
  return perKind.flat().filter(isPortalWritten);
}

/**
 * Publication objects grouped by the model they belong to (its model label value); objects
 * without one are left out.
 * @public
 */
export function groupByModel(objects: KubeObject[]): Map<string, KubeObject[]> {
  const byModel = new Map<string, KubeObject[]>();
  for (const object of objects) {
    const model = object.metadata.labels?.[LABEL_MODEL];
    if (model) byModel.set(model, [...(byModel.get(model) ?? []), object]);
  }
  return byModel;
}

import { ConflictError } from '@backstage/errors';
import {
  ownershipSelector,
  publicationId,
  Tenant,
} from '@internal/backstage-plugin-inference-common';
import {
  ClusterClient,
  ClusterFailureError,
  KINDS,
  KubeObject,
  readPublishRequest,
  RecordedPublishRequest,
} from '@internal/backstage-plugin-inference-node';

/** The portal's AIGatewayRoutes in the given tenant namespaces of one cluster. */
async function listPortalRoutes(
  cluster: ClusterClient,
  tenantNamespaces: Set<string>,
): Promise<KubeObject[]> {
  const { apiVersion, kind } = KINDS.aiGatewayRoute;
  const selector = {
    labelSelector: ownershipSelector(),
  };
  try {
    // One cluster-wide list (configs/portal grants list on this kind cluster-wide)...
    return (await cluster.list(apiVersion, kind, selector)).filter(r =>
      tenantNamespaces.has(r.metadata.namespace ?? ''),
    );
  } catch (error) {
    // ...or one per tenant namespace where the portal may only read its tenants' namespaces.
    if (!(error instanceof ClusterFailureError && error.statusCode === 403))
      throw error;
    const perNamespace = await Promise.all(
      [...tenantNamespaces].map(namespace =>
        cluster.list(apiVersion, kind, { ...selector, namespace }),
      ),
    );
    return perNamespace.flat();
  }
}

/**
 * An OpenAI publication is routed by the body's `model`: two on one hostname must have different
 * public names, across tenants. A clash is a 409, never a silent overwrite.
 */
export async function checkPublicNameFree(options: {
  cluster: ClusterClient;
  tenant: Tenant;
  tenants: Tenant[];
  model: string;
  request: RecordedPublishRequest;
}): Promise<void> {
  const { tenant, model, request } = options;
  const tenantNamespaces = new Set(
    options.tenants
      .filter(t => t.cluster === tenant.cluster)
      .map(t => t.namespace),
  );
  const routes = await listPortalRoutes(options.cluster, tenantNamespaces);
  const ownId = publicationId(tenant.name, model);
  for (const existing of routes) {
    const other = readPublishRequest([existing]);
    const sameHost =
      other?.hostname.toLowerCase() === request.hostname.toLowerCase();
    const isSelf =
      existing.metadata.namespace === tenant.namespace &&
      existing.metadata.name === ownId;
    if (
      !isSelf &&
      sameHost &&
      other?.publicModelName === request.publicModelName
    ) {
      throw new ConflictError(
        `publicModelName: '${request.publicModelName}' is already published on ${request.hostname}; choose another name`,
      );
    }
  }
}

import { ConflictError } from '@backstage/errors';
import {
  ownershipSelector,
  publicationId,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterClient,
  ClusterFailureError,
  KINDS,
  KubeObject,
  readPublishRequest,
} from '@inference-in-a-box/backstage-plugin-inference-node';

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
 * One OpenAI-compatible publication per hostname, across tenants: the gateway checks the API key
 * (or JWT) with the route it matched before reading the body, so a second publication's route on
 * the hostname could be the one whose check runs (see `defaultPublicationHostname`). A second one
 * is refused with a 409 that names neither the other tenant nor its model.
 */
export async function checkHostnameFree(options: {
  cluster: ClusterClient;
  tenant: Tenant;
  tenants: Tenant[];
  model: string;
  hostname: string;
}): Promise<void> {
  const { tenant, model, hostname } = options;
  const tenantNamespaces = new Set(
    options.tenants
      .filter(t => t.cluster === tenant.cluster)
      .map(t => t.namespace),
  );
  const routes = await listPortalRoutes(options.cluster, tenantNamespaces);
  const ownId = publicationId(tenant.name, model);
  const taken = routes.some(existing => {
    const isSelf =
      existing.metadata.namespace === tenant.namespace &&
      existing.metadata.name === ownId;
    const other = readPublishRequest([existing]);
    return !isSelf && other?.hostname.toLowerCase() === hostname.toLowerCase();
  });
  if (taken) {
    throw new ConflictError(
      `hostname: ${hostname} already serves another OpenAI-compatible publication; each needs a hostname of its own (leave it empty for one derived from the model and tenant)`,
    );
  }
}

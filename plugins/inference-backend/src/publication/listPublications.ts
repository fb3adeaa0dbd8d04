import {
  LABEL_TENANT,
  ownershipSelector,
  PublicationSummary,
  Tenant,
  toLabelValue,
} from '@internal/backstage-plugin-inference-common';
import {
  ClusterClient,
  ClusterFailureError,
  ClusterRegistry,
  groupByModel,
  isPortalWritten,
  KINDS,
  KindRef,
  KubeObject,
  PUBLICATION_KINDS,
} from '@internal/backstage-plugin-inference-node';
import {
  readCurrentPublication,
  summarizePublication,
} from './currentPublication';

/**
 * One list per publication kind per cluster (all namespaces, the managed-by label selector),
 * grouped by tenant namespace afterwards; only the tenants the caller may read are kept.
 * Secrets are the exception: the portal may list them only inside tenant namespaces
 * (configs/portal/rbac.yaml, checked by the manifest validator's portalRbac test), so they are
 * listed once per readable tenant. Where the cluster forbids a cluster-wide list of a kind
 * (RBAC without the cluster-wide `list` grant), that kind falls back to one list per tenant,
 * from then on without asking again.
 */
export function createPublicationLister(clusters: ClusterRegistry) {
  /** Kinds a cluster refused to list across namespaces (403): listed per tenant from then on. */
  const clusterWideDenied = new Set<string>();

  return async function listPublications(
    readable: Tenant[],
  ): Promise<PublicationSummary[]> {
    const byCluster = new Map<string, Tenant[]>();
    for (const tenant of readable) {
      byCluster.set(tenant.cluster, [
        ...(byCluster.get(tenant.cluster) ?? []),
        tenant,
      ]);
    }
    const labelSelector = ownershipSelector();

    async function listKind(
      cluster: ClusterClient,
      ofCluster: Tenant[],
      { apiVersion, kind }: KindRef,
    ): Promise<KubeObject[]> {
      const perTenant = async () =>
        (
          await Promise.all(
            ofCluster.map(tenant =>
              cluster.list(apiVersion, kind, {
                namespace: tenant.namespace,
                labelSelector,
              }),
            ),
          )
        ).flat();
      const clusterWide = `${cluster.name}/${apiVersion}/${kind}`;
      if (kind === KINDS.secret.kind || clusterWideDenied.has(clusterWide))
        return perTenant();
      try {
        return await cluster.list(apiVersion, kind, { labelSelector });
      } catch (error) {
        if (!(error instanceof ClusterFailureError && error.statusCode === 403))
          throw error;
        // Remembered, so later lists go straight to the per-tenant lists instead of failing first.
        clusterWideDenied.add(clusterWide);
        return perTenant();
      }
    }

    const perCluster = await Promise.all(
      [...byCluster].map(async ([clusterName, ofCluster]) => {
        const cluster = clusters.get(clusterName);
        const objects = (
          await Promise.all(
            PUBLICATION_KINDS.map(kind => listKind(cluster, ofCluster, kind)),
          )
        )
          .flat()
          .filter(isPortalWritten);
        return ofCluster.flatMap(tenant => {
          // The same objects the per-tenant selector (namespace + tenant label) selected.
          const tenantLabel = toLabelValue(tenant.name);
          const ofTenant = objects.filter(
            o =>
              o.metadata.namespace === tenant.namespace &&
              o.metadata.labels?.[LABEL_TENANT] === tenantLabel,
          );
          return [...groupByModel(ofTenant)].flatMap(([model, ofModel]) => {
            const summary = summarizePublication(
              tenant,
              model,
              readCurrentPublication(ofModel),
            );
            return summary ? [summary] : [];
          });
        });
      }),
    );
    return perCluster
      .flat()
      .sort(
        (a, b) =>
          a.namespace.localeCompare(b.namespace) ||
          a.model.localeCompare(b.model),
      );
  };
}

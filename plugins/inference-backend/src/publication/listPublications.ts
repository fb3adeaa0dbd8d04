import {
  LABEL_TENANT,
  ownershipSelector,
  PublicationSummary,
  Tenant,
  toLabelValue,
} from '@inference-in-a-box/backstage-plugin-inference-common';
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
} from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  readCurrentPublication,
  summarizePublication,
} from './currentPublication';

/** The portal-written objects of one model's publication, as listed. */
export interface ListedPublication {
  tenant: Tenant;
  model: string;
  objects: KubeObject[];
}

/**
 * One list per publication kind per cluster (all namespaces, the managed-by label selector),
 * grouped by tenant namespace afterwards; only the given tenants are kept. Secrets are the
 * exception: the portal may list them only inside tenant namespaces (configs/portal/rbac.yaml,
 * checked by the manifest validator's portalRbac test), so they are listed once per tenant. Where
 * the cluster forbids a cluster-wide list of a kind (RBAC without the cluster-wide `list` grant),
 * that kind falls back to one list per tenant, from then on without asking again.
 * `alsoList` kinds (e.g. InferenceServices) are listed the same way, without a label selector.
 */
export function createPublicationObjectLister(clusters: ClusterRegistry) {
  /** Kinds a cluster refused to list across namespaces (403): listed per tenant from then on. */
  const clusterWideDenied = new Set<string>();

  async function listKind(
    cluster: ClusterClient,
    ofCluster: Tenant[],
    { apiVersion, kind }: KindRef,
    labelSelector: string | undefined,
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

  return async function listPublicationObjectsOf(
    tenants: Tenant[],
    alsoList: readonly KindRef[] = [],
  ): Promise<{ publications: ListedPublication[]; also: KubeObject[] }> {
    const byCluster = new Map<string, Tenant[]>();
    for (const tenant of tenants) {
      byCluster.set(tenant.cluster, [
        ...(byCluster.get(tenant.cluster) ?? []),
        tenant,
      ]);
    }
    const labelSelector = ownershipSelector();
    const perCluster = await Promise.all(
      [...byCluster].map(async ([clusterName, ofCluster]) => {
        const cluster = clusters.get(clusterName);
        const [labelled, also] = await Promise.all([
          Promise.all(
            PUBLICATION_KINDS.map(kind =>
              listKind(cluster, ofCluster, kind, labelSelector),
            ),
          ),
          Promise.all(
            alsoList.map(kind => listKind(cluster, ofCluster, kind, undefined)),
          ),
        ]);
        const objects = labelled.flat().filter(isPortalWritten);
        const publications = ofCluster.flatMap(tenant => {
          // The same objects the per-tenant selector (namespace + tenant label) selected.
          const tenantLabel = toLabelValue(tenant.name);
          const ofTenant = objects.filter(
            o =>
              o.metadata.namespace === tenant.namespace &&
              o.metadata.labels?.[LABEL_TENANT] === tenantLabel,
          );
          return [...groupByModel(ofTenant)].map(([model, ofModel]) => ({
            tenant,
            model,
            objects: ofModel,
          }));
        });
        const tenantNamespaces = new Set(ofCluster.map(t => t.namespace));
        return {
          publications,
          also: also
            .flat()
            .filter(o => tenantNamespaces.has(o.metadata.namespace ?? '')),
        };
      }),
    );
    return {
      publications: perCluster.flatMap(c => c.publications),
      also: perCluster.flatMap(c => c.also),
    };
  };
}

/** The publications of the given tenants (see {@link createPublicationObjectLister}), sorted. */
export function createPublicationLister(clusters: ClusterRegistry) {
  const listObjects = createPublicationObjectLister(clusters);
  return async function listPublications(
    readable: Tenant[],
  ): Promise<PublicationSummary[]> {
    const { publications } = await listObjects(readable);
    return publications
      .flatMap(({ tenant, model, objects }) => {
        const summary = summarizePublication(
          tenant,
          model,
          readCurrentPublication(objects),
        );
        return summary ? [summary] : [];
      })
      .sort(
        (a, b) =>
          a.namespace.localeCompare(b.namespace) ||
          a.model.localeCompare(b.model),
      );
  };
}

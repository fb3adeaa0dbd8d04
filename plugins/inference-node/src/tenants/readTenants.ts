import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_NAMESPACE,
  Tenant,
  TENANT_ENTITY_FILTER,
} from '@internal/backstage-plugin-inference-common';

/**
 * The tenants: the catalog's tenant Groups that name their namespace (and their cluster, unless
 * it is the default one). Read with the caller's own service credentials: tenant groups are not
 * secret, and who may act in a tenant is decided by the permission policy, not by this list.
 * @public
 */
export async function readTenants(options: {
  catalog: CatalogService;
  auth: AuthService;
  defaultCluster: string;
}): Promise<Tenant[]> {
  const { items } = await options.catalog.getEntities(
    { filter: { ...TENANT_ENTITY_FILTER } },
    { credentials: await options.auth.getOwnServiceCredentials() },
  );
  return items.flatMap(group => {
    const annotations = group.metadata.annotations ?? {};
    const namespace = annotations[ANNOTATION_NAMESPACE];
    if (!namespace) return [];
    return [
      {
        ref: stringifyEntityRef(group),
        name: group.metadata.name,
        title: group.metadata.title,
        cluster: annotations[ANNOTATION_CLUSTER] ?? options.defaultCluster,
        namespace,
        members: (group.relations ?? [])
          .filter(r => r.type === 'hasMember')
          .map(r => r.targetRef)
          .sort(),
      },
    ];
  });
}

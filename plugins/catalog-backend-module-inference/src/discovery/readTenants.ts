import type { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_NAMESPACE,
  TENANT_ENTITY_FILTER,
} from '@internal/backstage-plugin-inference-common';
import type { Tenant } from './types';

/**
 * Tenants are the catalog's tenant Groups (never configuration): each names its namespace, and its
 * cluster unless it lives on the default one. Read with the module's own credentials.
 */
export async function readTenants(options: {
  catalog: CatalogService;
  auth: AuthService;
  defaultCluster: string;
}): Promise<Tenant[]> {
  const { items } = await options.catalog.getEntities(
    {
      filter: { ...TENANT_ENTITY_FILTER },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
      ],
    },
    { credentials: await options.auth.getOwnServiceCredentials() },
  );
  return items.flatMap(group => {
    const annotations = group.metadata.annotations ?? {};
    const namespace = annotations[ANNOTATION_NAMESPACE];
    if (!namespace) {
      return [];
    }
    return [
      {
        ref: stringifyEntityRef(group),
        name: group.metadata.name,
        cluster: annotations[ANNOTATION_CLUSTER] ?? options.defaultCluster,
        namespace,
      },
    ];
  });
}

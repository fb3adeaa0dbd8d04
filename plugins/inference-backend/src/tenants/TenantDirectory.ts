import type { AuthService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_NAMESPACE,
  TENANT_ENTITY_FILTER,
} from '@internal/backstage-plugin-inference-common';

/** A tenant: a catalog Group of spec.type tenant and the namespace (in a cluster) that is its home. */
export interface Tenant {
  /** Entity ref of the group, e.g. `group:default/tenant-a`. */
  ref: string;
  name: string;
  title?: string;
  cluster: string;
  namespace: string;
  /** Entity refs of the group's direct members. */
  members: string[];
}

export interface TenantDirectory {
  list(): Promise<Tenant[]>;
  /** The tenant that owns a namespace of a cluster, if any. */
  byNamespace(cluster: string, namespace: string): Promise<Tenant | undefined>;
}

/**
 * Tenants come from the catalog, never from configuration or request input. Read with the plugin's
 * own credentials (tenant groups are not secret) and cached briefly, since every permission check
 * needs them.
 */
export function createTenantDirectory(options: {
  catalog: CatalogService;
  auth: AuthService;
  defaultCluster: string;
  cacheTtlMs?: number;
}): TenantDirectory {
  const ttl = options.cacheTtlMs ?? 5_000;
  let cached: { at: number; tenants: Promise<Tenant[]> } | undefined;

  async function load(): Promise<Tenant[]> {
    const { items } = await options.catalog.getEntities(
      { filter: { ...TENANT_ENTITY_FILTER } },
      { credentials: await options.auth.getOwnServiceCredentials() },
    );
    return items.flatMap(group => {
      const namespace = group.metadata.annotations?.[ANNOTATION_NAMESPACE];
      if (!namespace) return [];
      return [
        {
          ref: stringifyEntityRef(group),
          name: group.metadata.name,
          title: group.metadata.title,
          cluster:
            group.metadata.annotations?.[ANNOTATION_CLUSTER] ??
            options.defaultCluster,
          namespace,
          members: (group.relations ?? [])
            .filter(r => r.type === 'hasMember')
            .map(r => r.targetRef)
            .sort(),
        },
      ];
    });
  }

  async function list(): Promise<Tenant[]> {
    const now = Date.now();
    if (!cached || now - cached.at > ttl) {
      const tenants = load();
      cached = { at: now, tenants };
      tenants.catch(() => {
        if (cached?.tenants === tenants) cached = undefined;
      });
    }
    return cached.tenants;
  }

  return {
    list,
    async byNamespace(cluster, namespace) {
      return (await list()).find(
        t => t.cluster === cluster && t.namespace === namespace,
      );
    },
  };
}

import type { Tenant } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  createRefreshingCache,
  readTenants,
  ReadTenantsOptions,
  TENANTS_MAX_AGE_MS,
} from '@inference-in-a-box/backstage-plugin-inference-node';

export interface TenantDirectory {
  list(): Promise<Tenant[]>;
  /**
   * The tenant that owns a namespace of a cluster, if any. At most one does: `readTenants` drops
   * every group of a conflicting claim, and groups from untrusted catalog locations.
   */
  byNamespace(cluster: string, namespace: string): Promise<Tenant | undefined>;
}

/**
 * The catalog's trusted tenants (see `readTenants`), cached: every permission check needs them.
 * The cache refreshes in the background while in use and never returns a list older than
 * `cacheTtlMs` (TENANTS_MAX_AGE_MS, 5 s, by default), so requests do not wait for the catalog, and a
 * tenant group added, removed or re-pointed in the catalog takes effect within that bound (the
 * catalog publishes no event for entity changes to refresh on). Why a bounded cache is safe: who
 * is a member is not read here at all (it comes from the caller's token, see ModelAccess), only
 * which group owns which namespace; a removed tenant keeps its namespace for at most the bound,
 * as it did with the former 5 s TTL. A failed read is not cached. Skipped and conflicting tenant
 * groups are logged once while they last, not on every read.
 */
export function createTenantDirectory(
  options: ReadTenantsOptions & { cacheTtlMs?: number },
): TenantDirectory {
  const cache = createRefreshingCache(() => readTenants(options), {
    maxAgeMs: options.cacheTtlMs ?? TENANTS_MAX_AGE_MS,
  });
  const list = () => cache.get();

  return {
    list,
    async byNamespace(cluster, namespace) {
      return (await list()).find(
        t => t.cluster === cluster && t.namespace === namespace,
      );
    },
  };
}

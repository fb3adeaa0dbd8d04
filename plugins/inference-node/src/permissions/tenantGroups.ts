import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ClusterRegistry } from '../cluster/ClusterRegistry';
import { readTenants } from '../tenants/readTenants';
import {
  createRefreshingCache,
  TENANTS_MAX_AGE_MS,
} from '../tenants/refreshingCache';

/**
 * The entity refs of the tenant groups, which the policy compares a user's claims with.
 * @public
 */
export interface TenantGroups {
  refs(): Promise<ReadonlySet<string>>;
}

/**
 * A fixed set of tenant groups (for tests).
 * @public
 */
export function staticTenantGroups(refs: string[]): TenantGroups {
  const set = new Set(refs);
  return { refs: async () => set };
}

/**
 * The tenants exactly as the inference plugin sees them (`readTenants` of inference-node: groups
 * from trusted locations only, conflicting claims refused), so that a forged group can make nobody a
 * tenant member for the Kubernetes permissions either. Read with the permission plugin's own
 * service credentials (every plugin's permissions service allows service principals without
 * asking this policy, so there is no recursion), and cached because the Kubernetes plugin asks on
 * every call: refreshed in the background while in use and never older than `cacheTtlMs`
 * ({@link TENANTS_MAX_AGE_MS} by default), so a tenant group's change takes effect within that
 * bound. A failed read is not cached.
 * @public
 */
export function catalogTenantGroups(options: {
  catalog: CatalogService;
  auth: AuthService;
  config: Config;
  logger: LoggerService;
  clusters: ClusterRegistry;
  cacheTtlMs?: number;
}): TenantGroups {
  const cache = createRefreshingCache(
    async (): Promise<ReadonlySet<string>> => {
      const tenants = await readTenants({
        ...options,
        defaultCluster: options.clusters.defaultName(),
        clusterNames: options.clusters.names(),
      });
      return new Set(tenants.map(t => t.ref));
    },
    { maxAgeMs: options.cacheTtlMs ?? TENANTS_MAX_AGE_MS },
  );
  return { refs: () => cache.get() };
}

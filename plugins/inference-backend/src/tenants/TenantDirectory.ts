import type { Tenant } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  readTenants,
  ReadTenantsOptions,
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
 * The catalog's trusted tenants (see `readTenants`), cached briefly: every permission check needs
 * them. A failed read is not cached. Skipped and conflicting tenant groups are logged once while
 * they last, not on every read.
 */
export function createTenantDirectory(
  options: ReadTenantsOptions & { cacheTtlMs?: number },
): TenantDirectory {
  const ttl = options.cacheTtlMs ?? 5_000;
  let cached: { at: number; tenants: Promise<Tenant[]> } | undefined;

  async function list(): Promise<Tenant[]> {
    const now = Date.now();
    if (!cached || now - cached.at > ttl) {
      const tenants = readTenants(options);
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

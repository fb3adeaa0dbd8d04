import type {
  ModelSummary,
  TenantInfo,
  TenantUsage,
} from '@inference-in-a-box/backstage-plugin-inference-common';

export interface TenantRow extends TenantInfo {
  /** Undefined when the live models could not be listed. */
  modelCount?: number;
  publicationCount?: number;
  /** The tenant's usage over the last 24 hours; undefined when none was reported for it. */
  usage?: TenantUsage;
}

/**
 * Counts each tenant's models and publications (by cluster and namespace, not by name) and adds
 * its usage (reported by tenant name, or found by the namespace of its models).
 */
export function buildTenantRows(
  tenants: TenantInfo[],
  models: ModelSummary[] | undefined,
  usage: TenantUsage[] = [],
): TenantRow[] {
  return tenants.map(tenant => {
    const row: TenantRow = {
      ...tenant,
      usage: usage.find(
        u =>
          u.tenant === tenant.name ||
          u.models.some(
            m =>
              m.model.cluster === tenant.cluster &&
              m.model.namespace === tenant.namespace,
          ),
      ),
    };
    if (!models) return row;
    const own = models.filter(
      m => m.cluster === tenant.cluster && m.namespace === tenant.namespace,
    );
    return {
      ...row,
      modelCount: own.length,
      publicationCount: own.filter(m => m.published).length,
    };
  });
}

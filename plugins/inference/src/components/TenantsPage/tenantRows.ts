import type {
  ModelSummary,
  TenantInfo,
} from '@internal/backstage-plugin-inference-common';

export interface TenantRow extends TenantInfo {
  /** Undefined when the live models could not be listed. */
  modelCount?: number;
  publicationCount?: number;
}

/** Counts each tenant's models and publications (by cluster and namespace, not by name). */
export function buildTenantRows(
  tenants: TenantInfo[],
  models: ModelSummary[] | undefined,
): TenantRow[] {
  return tenants.map(tenant => {
    if (!models) return tenant;
    const own = models.filter(
      m => m.cluster === tenant.cluster && m.namespace === tenant.namespace,
    );
    return {
      ...tenant,
      modelCount: own.length,
      publicationCount: own.filter(m => m.published).length,
    };
  });
}

import { inferenceModelReadPermission } from '@internal/backstage-plugin-inference-common';
import type { ClusterRegistry } from '../cluster/ClusterRegistry';
import type { CallContext } from '../history/recordMutation';
import type { ModelAccess } from '../permissions/ModelAccess';
import { describeTenants, TenantView } from '../tenants/listTenants';

export interface TenantService {
  /** The tenants whose models the caller may read (all of them for platform admins). */
  list(ctx: CallContext): Promise<TenantView[]>;
}

export function createTenantService(deps: {
  access: ModelAccess;
  clusters: ClusterRegistry;
}): TenantService {
  return {
    async list(ctx) {
      const tenants = await deps.access.tenantsAllowed(
        ctx.credentials,
        inferenceModelReadPermission,
      );
      return describeTenants(tenants, deps.clusters);
    },
  };
}

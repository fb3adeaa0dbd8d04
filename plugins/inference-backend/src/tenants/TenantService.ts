import {
  inferenceModelReadPermission,
  Tenant,
  TenantInfo,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterRegistry,
  KINDS,
  KubeObject,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { ModelAccess } from '../permissions/ModelAccess';
import type { CallContext } from '../requestContext';

export interface TenantService {
  /** The tenants whose models the caller may read (all of them for platform admins). */
  list(ctx: CallContext): Promise<TenantInfo[]>;
}

/** The tenant groups joined with the state of their namespaces in the cluster. */
async function describeTenants(
  tenants: Tenant[],
  clusters: ClusterRegistry,
): Promise<TenantInfo[]> {
  return Promise.all(
    tenants.map(async tenant => {
      try {
        const namespace = await clusters
          .get(tenant.cluster)
          .get<KubeObject & { status?: { phase?: string } }>({
            ...KINDS.namespace,
            name: tenant.namespace,
          });
        let namespaceState: TenantInfo['namespaceState'] = 'Active';
        if (!namespace) namespaceState = 'Missing';
        else if (namespace.status?.phase === 'Terminating')
          namespaceState = 'Terminating';
        return { ...tenant, namespaceState };
      } catch {
        // One unreachable cluster must not hide the tenants of the others.
        return { ...tenant, namespaceState: 'Unreachable' as const };
      }
    }),
  );
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

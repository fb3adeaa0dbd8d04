import type { ClusterRegistry } from '../cluster/ClusterRegistry';
import type { KubeObject } from '../cluster/types';
import type { Tenant } from './TenantDirectory';

/** A tenant as the API shows it: the catalog group joined with its namespace's state in the cluster. */
export interface TenantView extends Tenant {
  namespaceState: 'Active' | 'Terminating' | 'Missing' | 'Unreachable';
}

export async function describeTenants(
  tenants: Tenant[],
  clusters: ClusterRegistry,
): Promise<TenantView[]> {
  return Promise.all(
    tenants.map(async tenant => {
      try {
        const namespace = await clusters
          .get(tenant.cluster)
          .get<KubeObject & { status?: { phase?: string } }>({
            apiVersion: 'v1',
            kind: 'Namespace',
            name: tenant.namespace,
          });
        let namespaceState: TenantView['namespaceState'] = 'Active';
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

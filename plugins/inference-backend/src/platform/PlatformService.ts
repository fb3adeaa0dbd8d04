import {
  ownershipSelector,
  type ClusterOverview,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ApiGroupInfo,
  ClusterRegistry,
  KINDS,
  KubeObject,
  scrubClusterMessage,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { InferenceConfig } from '../config';
import type { ModelAccess } from '../permissions/ModelAccess';
import type { CallContext } from '../requestContext';
import type { TenantDirectory } from '../tenants/TenantDirectory';

/** The API groups the platform depends on; the overview says which are installed in which versions. */
export const PLATFORM_API_GROUPS = [
  'serving.kserve.io',
  'aigateway.envoyproxy.io',
  'gateway.envoyproxy.io',
  'gateway.networking.k8s.io',
  'security.istio.io',
  'networking.istio.io',
  'serving.knative.dev',
];

export interface PlatformService {
  /** For platform admins only: what is installed, the Gateway's state, and counts per tenant. */
  overview(ctx: CallContext): Promise<ClusterOverview[]>;
}

export function createPlatformService(deps: {
  config: InferenceConfig;
  clusters: ClusterRegistry;
  tenants: TenantDirectory;
  access: ModelAccess;
}): PlatformService {
  const { config, clusters } = deps;

  async function describeCluster(name: string): Promise<ClusterOverview> {
    const client = clusters.get(name);
    const gatewayRef = {
      name: config.gateway.name,
      namespace: config.gateway.namespace,
    };
    const tenants = (await deps.tenants.list()).filter(t => t.cluster === name);
    try {
      const [groups, gateway, counts] = await Promise.all([
        client.apiGroups(),
        client.get<
          KubeObject & {
            status?: { conditions?: ClusterOverview['gateway']['conditions'] };
          }
        >({
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'Gateway',
          ...gatewayRef,
        }),
        Promise.all(
          tenants.map(async tenant => {
            const [models, policies] = await Promise.all([
              client.list(
                KINDS.inferenceService.apiVersion,
                KINDS.inferenceService.kind,
                { namespace: tenant.namespace },
              ),
              // One SecurityPolicy per publication.
              client.list(
                KINDS.securityPolicy.apiVersion,
                KINDS.securityPolicy.kind,
                {
                  namespace: tenant.namespace,
                  labelSelector: ownershipSelector({ tenant: tenant.name }),
                },
              ),
            ]);
            return {
              tenant: tenant.name,
              namespace: tenant.namespace,
              models: models.length,
              publications: policies.length,
            };
          }),
        ),
      ]);
      const byGroup = new Map<string, ApiGroupInfo>(
        groups.map(g => [g.group, g]),
      );
      return {
        cluster: name,
        reachable: true,
        apiGroups: PLATFORM_API_GROUPS.map(group => {
          const found = byGroup.get(group);
          return {
            group,
            installed: Boolean(found),
            versions: found?.versions ?? [],
            preferredVersion: found?.preferredVersion,
          };
        }),
        gateway: {
          ...gatewayRef,
          found: Boolean(gateway),
          conditions: gateway?.status?.conditions ?? [],
        },
        tenants: counts,
      };
    } catch (error) {
      return {
        cluster: name,
        reachable: false,
        // The overview is for admins, but still no internal addresses or account names in answers.
        error: scrubClusterMessage((error as Error).message),
        apiGroups: [],
        gateway: { ...gatewayRef, found: false, conditions: [] },
        tenants: tenants.map(t => ({
          tenant: t.name,
          namespace: t.namespace,
          models: 0,
          publications: 0,
        })),
      };
    }
  }

  return {
    async overview(ctx) {
      await deps.access.requireAdmin(ctx.credentials);
      return Promise.all(clusters.names().map(describeCluster));
    },
  };
}

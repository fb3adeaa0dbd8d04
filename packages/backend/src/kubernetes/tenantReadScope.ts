import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRegistry,
  readTenants,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { Tenant } from '@inference-in-a-box/backstage-plugin-inference-common';
import { PLATFORM_ADMINS_GROUP } from '@inference-in-a-box/backstage-plugin-inference-node';
import { namespaceKey, ReadScope } from './TenantScopedObjectsProvider';

const NOTHING: ReadScope = { all: false, namespaces: new Set() };

/**
 * The read scope of a caller of the Kubernetes plugin:
 * - a user in `group:default/platform-admins`: everything;
 * - any other user: the `cluster/namespace` of each tenant whose group is among the user's
 *   ownership refs (the same claims the policy's inference rule compares), tenants read with
 *   `readTenants` of inference-node exactly as the inference plugin and the policy see them
 *   (trusted locations only, conflicting claims refused), cached briefly;
 * - a service principal (another backend plugin of this portal; only backend code holds service
 *   tokens): everything, as everywhere else in the portal service-to-service calls are limited by
 *   the calling plugin, not by the caller's tenants;
 * - anything else (no principal): nothing.
 * A failure to read the user's groups or the tenants is an error (the read fails), never "all".
 */
export function tenantReadScope(options: {
  auth: AuthService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  config: Config;
  logger: LoggerService;
  clusters: ClusterRegistry;
  cacheTtlMs?: number;
}): (credentials: BackstageCredentials) => Promise<ReadScope> {
  const ttl = options.cacheTtlMs ?? 5_000;
  let cached: { at: number; tenants: Promise<Tenant[]> } | undefined;

  function tenants(): Promise<Tenant[]> {
    const now = Date.now();
    if (!cached || now - cached.at > ttl) {
      const read = readTenants({
        catalog: options.catalog,
        auth: options.auth,
        config: options.config,
        logger: options.logger,
        defaultCluster: options.clusters.defaultName(),
        clusterNames: options.clusters.names(),
      });
      cached = { at: now, tenants: read };
      read.catch(() => {
        if (cached?.tenants === read) cached = undefined;
      });
    }
    return cached.tenants;
  }

  return async credentials => {
    if (options.auth.isPrincipal(credentials, 'service')) {
      return { all: true };
    }
    if (!options.auth.isPrincipal(credentials, 'user')) {
      return NOTHING;
    }
    const { ownershipEntityRefs } = await options.userInfo.getUserInfo(
      credentials,
    );
    if (ownershipEntityRefs.includes(PLATFORM_ADMINS_GROUP)) {
      return { all: true };
    }
    const claims = new Set(ownershipEntityRefs);
    return {
      all: false,
      namespaces: new Set(
        (await tenants())
          .filter(tenant => claims.has(tenant.ref))
          .map(tenant => namespaceKey(tenant.cluster, tenant.namespace)),
      ),
    };
  };
}

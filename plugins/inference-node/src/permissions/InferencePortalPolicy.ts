import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  inferenceAdminPermission,
  INFERENCE_MODEL_RESOURCE_TYPE,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { PLATFORM_ADMINS_GROUP } from '../tenants/platformAdmins';
import {
  createInferenceModelConditionalDecision,
  inferenceModelConditions,
} from './conditions';
import type { TenantGroups } from './tenantGroups';

/**
 * Permissions of the other plugins that only platform admins hold. Matched by name so that this
 * package needs no dependency on the plugins' -common packages; policy.test.ts checks each name
 * against the permission object the plugin exports.
 *
 * - `kubernetes.proxy`: a basic permission (upstream plugins/kubernetes-common/src/permissions.ts),
 *   checked by plugins/kubernetes-backend/src/service/KubernetesProxy.ts for every request under
 *   /api/kubernetes/proxy. The proxy forwards any method and path to the cluster with the portal's
 *   own cluster credentials (configs/portal/rbac.yaml: read and write of Secrets in every tenant
 *   namespace), so holding it is holding the portal's cluster identity.
 * - `catalog.location.create` (POST /locations, also with dryRun, and location updates),
 *   `catalog.location.delete` (DELETE /locations/:id, "unregister"), `catalog.location.analyze`
 *   (POST /analyze-location, which reads the URL it is given), `catalog.entity.create` (basic;
 *   only the catalog frontend's Create button asks it), `catalog.entity.delete` (a resource
 *   permission: DELETE /entities/by-uid/:uid) and `catalog.entity.validate` (POST
 *   /validate-entity, which runs the catalog's processors on caller input): upstream
 *   plugins/catalog-common/src/permissions.ts, enforced in plugins/catalog-backend/src/service/
 *   AuthorizedLocationService.ts, AuthorizedEntitiesCatalog.ts, AuthorizedLocationAnalyzer.ts and
 *   AuthorizedValidationService.ts.
 *
 * @public
 */
export const ADMIN_ONLY_PERMISSIONS: ReadonlySet<string> = new Set([
  'kubernetes.proxy',
  'catalog.location.create',
  'catalog.location.delete',
  'catalog.location.analyze',
  'catalog.entity.create',
  'catalog.entity.delete',
  'catalog.entity.validate',
]);

/**
 * The Kubernetes plugin's reads: basic permissions (no resource type, so no conditional decision
 * can narrow them to a tenant), checked by plugins/kubernetes-backend/src/service/KubernetesRouter.ts
 * (`kubernetes.resources.read`: POST /services/:serviceId; `kubernetes.clusters.read`: GET
 * /clusters) and src/routes/resourcesRoutes.ts (`kubernetes.resources.read`: POST
 * /resources/workloads/query and /resources/custom/query). Granted to members of a tenant and to
 * platform admins, refused to everyone else; the README's Security section says what this leaves
 * open.
 *
 * @public
 */
export const TENANT_MEMBER_PERMISSIONS: ReadonlySet<string> = new Set([
  'kubernetes.resources.read',
  'kubernetes.clusters.read',
]);

/**
 * The portal's permission policy, the one place that decides who may do what:
 * - no user (an unauthenticated caller): nothing. Service-to-service calls never reach the policy:
 *   each plugin's permissions service allows service principals itself (ServerPermissionClient of
 *   `@backstage/plugin-permission-node`), and the permission backend accepts only user and
 *   unauthenticated callers.
 * - platform admins: everything.
 * - inference permissions: members of a tenant group may act on the models in their tenants'
 *   namespaces (the inference backend's IS_IN_USER_TENANTS rule); nobody else may do anything.
 * - {@link ADMIN_ONLY_PERMISSIONS}: platform admins only.
 * - {@link TENANT_MEMBER_PERMISSIONS}: members of any tenant group (and admins).
 * - everything else of the rest of Backstage (catalog reads and refresh, scaffolder, search, ...):
 *   every signed-in user.
 *
 * @public
 */
export class InferencePortalPolicy implements PermissionPolicy {
  private readonly tenantGroups?: TenantGroups;
  private readonly logger?: LoggerService;

  constructor(
    options: { tenantGroups?: TenantGroups; logger?: LoggerService } = {},
  ) {
    this.tenantGroups = options.tenantGroups;
    this.logger = options.logger;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const claims = user.info.ownershipEntityRefs;
    if (claims.includes(PLATFORM_ADMINS_GROUP)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (permission.name.startsWith('inference.')) {
      if (isPermission(permission, inferenceAdminPermission)) {
        return { result: AuthorizeResult.DENY };
      }
      if (isResourcePermission(permission, INFERENCE_MODEL_RESOURCE_TYPE)) {
        return createInferenceModelConditionalDecision(
          permission,
          inferenceModelConditions.isInUserTenants({ claims }),
        );
      }
      return { result: AuthorizeResult.DENY };
    }
    if (ADMIN_ONLY_PERMISSIONS.has(permission.name)) {
      return { result: AuthorizeResult.DENY };
    }
    if (TENANT_MEMBER_PERMISSIONS.has(permission.name)) {
      return (await this.isTenantMember(claims))
        ? { result: AuthorizeResult.ALLOW }
        : { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }

  /** True when one of the user's claims is a tenant group; false (deny) when that cannot be read. */
  private async isTenantMember(claims: string[]): Promise<boolean> {
    if (!this.tenantGroups) return false;
    try {
      const tenants = await this.tenantGroups.refs();
      return claims.some(claim => tenants.has(claim));
    } catch (error) {
      this.logger?.warn(
        `Denied a tenant-member permission: the tenant groups could not be read: ${error}`,
      );
      return false;
    }
  }
}

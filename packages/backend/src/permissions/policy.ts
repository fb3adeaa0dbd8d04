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
import {
  inferenceAdminPermission,
  INFERENCE_MODEL_RESOURCE_TYPE,
} from '@internal/backstage-plugin-inference-common';
import {
  createInferenceModelConditionalDecision,
  inferenceModelConditions,
} from '@internal/backstage-plugin-inference-backend';

/** The catalog group whose members may act on every tenant. */
export const PLATFORM_ADMINS_GROUP = 'group:default/platform-admins';

/**
 * The portal's permission policy, the one place that decides who may do what:
 * - the rest of Backstage (catalog, scaffolder, search) is open to every signed-in user;
 * - inference permissions: platform admins may do everything; members of a tenant group may act on
 *   the models in their tenants' namespaces (decided by the inference backend's IS_IN_USER_TENANTS
 *   rule); nobody else may do anything, and unauthenticated callers nothing at all.
 */
export class InferencePortalPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('inference.')) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const claims = user.info.ownershipEntityRefs;
    if (claims.includes(PLATFORM_ADMINS_GROUP)) {
      return { result: AuthorizeResult.ALLOW };
    }
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
}

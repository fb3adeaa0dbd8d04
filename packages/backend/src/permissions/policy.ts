import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/** The catalog group whose members may act on every tenant. */
export const PLATFORM_ADMINS_GROUP = 'group:default/platform-admins';

/**
 * The portal's permission policy: the one place that decides who may do what.
 * - Everyone signed in may use the rest of Backstage (catalog, scaffolder, search) as usual.
 * - Inference permissions: platform admins may do everything; nobody else, until tenant rules land.
 */
export class InferencePortalPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!request.permission.name.startsWith('inference.')) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (user?.info.ownershipEntityRefs.includes(PLATFORM_ADMINS_GROUP)) {
      return { result: AuthorizeResult.ALLOW };
    }
    return { result: AuthorizeResult.DENY };
  }
}

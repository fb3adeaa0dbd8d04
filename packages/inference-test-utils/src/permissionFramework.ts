// Service factories that let the real permission framework run in a test backend (or a benchmark's)
// with the repository's demo users: the permission matrices of packages/backend and the backend
// benchmarks of plugins/inference-backend/bench use the same two.
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { loadCatalogEntities, membershipOf } from './catalogFixtures';

/**
 * Resolves a user's groups from the catalog files (and `extraEntities`, e.g. a benchmark's
 * generated users), as sign-in does: from the users' `spec.memberOf`.
 */
export function catalogUserInfo(extraEntities: Entity[] = []) {
  const entities = [...loadCatalogEntities(), ...extraEntities];
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials) {
        const userEntityRef = (
          credentials.principal as { userEntityRef: string }
        ).userEntityRef;
        return {
          userEntityRef,
          ownershipEntityRefs: membershipOf(entities, userEntityRef),
        };
      },
    }),
  });
}

/**
 * The mock auth service drops the calling plugin from on-behalf-of tokens, which the real one keeps
 * (as the token's actor). The permission framework relies on it: the permission backend accepts
 * resource checks and the inference plugin accepts apply-conditions calls only from a plugin acting
 * for a user. This restores the actor, so the real framework runs unchanged.
 */
export const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    return Object.assign(Object.create(inner), {
      async getPluginRequestToken(
        options: Parameters<typeof inner.getPluginRequestToken>[0],
      ) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type === 'user' && principal.userEntityRef) {
          return {
            token: mockCredentials.user.token(principal.userEntityRef, {
              actor: { subject: `plugin:${plugin.getId()}` },
            }),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    });
  },
});

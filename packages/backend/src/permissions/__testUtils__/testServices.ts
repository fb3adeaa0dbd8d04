// Service factories shared by the permission matrix tests: they let the real permission framework
// run in a test backend with the repository's demo users.
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  loadCatalogEntities,
  membershipOf,
} from '@internal/inference-test-utils';
import permissionBackend from '@backstage/plugin-permission-backend';
import policyModule from '../policyModule';

/** The five kinds of caller of the permission matrices. */
export type Caller =
  | 'dev-a'
  | 'dev-b'
  | 'platform-admin'
  | 'visitor'
  | 'anonymous';
export const CALLERS: Caller[] = [
  'dev-a',
  'dev-b',
  'platform-admin',
  'visitor',
  'anonymous',
];

/** The Authorization header of a caller (none for the unauthenticated one). */
export const authHeader = (caller: Caller) =>
  caller === 'anonymous'
    ? mockCredentials.none.header()
    : mockCredentials.user.header(`user:default/${caller}`);

/** Resolves a user's groups from the catalog files, as sign-in does. */
export function catalogUserInfo() {
  const entities = loadCatalogEntities();
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

/**
 * The real permission framework as the portal runs it: the permission backend with the portal's
 * policy, users' groups from the catalog files and on-behalf-of tokens that keep their actor.
 */
export const portalPermissionFeatures = () => [
  permissionBackend,
  policyModule,
  catalogUserInfo(),
  authWithActors,
];

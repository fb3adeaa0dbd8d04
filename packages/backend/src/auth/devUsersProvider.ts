import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';

/** The header the dev sign-in page sends to say which demo user the person wants to be. */
export const DEV_USER_HEADER = 'x-dev-user';

/**
 * Development-only sign-in as one of the demo users listed in `auth.providers.devUsers.users`, so a
 * person (and the browser tests) can act as a member of any tenant without an identity provider.
 * Like the guest provider it refuses to work unless the backend runs in development mode, and it
 * only signs in users that exist in the catalog, so group membership comes from the catalog.
 */
const devUsersAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async (result: { userName: string }) => ({
    profile: { displayName: result.userName },
  }),
  initialize({ config }) {
    return {
      enabled: process.env.NODE_ENV === 'development',
      users: new Set(config.getOptionalStringArray('users') ?? []),
    };
  },
  async authenticate({ req }, { enabled, users }) {
    if (!enabled) {
      throw new NotAllowedError(
        'The devUsers sign-in provider only works in a development environment',
      );
    }
    const userName = req.header(DEV_USER_HEADER) ?? '';
    if (!users.has(userName)) {
      throw new InputError(
        `${DEV_USER_HEADER} must name one of the demo users in auth.providers.devUsers.users`,
      );
    }
    return { result: { userName } };
  },
});

export const authModuleDevUsersProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'dev-users-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        if (!config.has('auth.providers.devUsers')) {
          return;
        }
        providers.registerProvider({
          providerId: 'devUsers',
          factory: createProxyAuthProviderFactory({
            authenticator: devUsersAuthenticator,
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: stringifyEntityRef({
                  kind: 'user',
                  namespace: 'default',
                  name: result.userName,
                }),
              });
            },
          }),
        });
      },
    });
  },
});

export default authModuleDevUsersProvider;

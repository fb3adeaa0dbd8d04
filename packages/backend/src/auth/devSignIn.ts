import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import guestProviderModule from '@backstage/plugin-auth-backend-module-guest-provider';
import devUsersProviderModule from './devUsersProvider';

/**
 * Whether the development sign-in providers (`guest` and `devUsers`) may exist at all. Both the
 * process and the configuration must say development, and nothing is assumed when either is
 * missing:
 *
 * - `NODE_ENV` must be exactly `development`: the check Backstage's own guest provider makes
 *   (`@backstage/plugin-auth-backend-module-guest-provider`); `backstage-cli repo start` (what
 *   `scripts/start.sh` runs) sets it, a plain `node packages/backend` does not.
 * - `auth.environment` must be set to `development` explicitly (`app-config.yaml` does;
 *   `app-config.production.yaml` sets `production`). The auth backend would default a missing value
 *   to `development`; here a missing value means no development sign-in.
 */
export function isDevelopmentSignIn(
  config: Config,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): boolean {
  return (
    nodeEnv === 'development' &&
    config.getOptionalString('auth.environment') === 'development'
  );
}

/**
 * Adds the guest provider module and the `devUsers` provider module (`./devUsersProvider`) to the
 * backend in development only. Anywhere else they are not added to the backend, so `/api/auth/guest/*` and
 * `/api/auth/devUsers/*` are unknown providers (404), not providers that refuse. The modules keep
 * their own refusal outside development as a second line.
 */
export const devSignInModules = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
  *loader({ config, logger }) {
    if (!isDevelopmentSignIn(config)) {
      logger.info(
        'Development sign-in (guest, devUsers) not loaded: NODE_ENV and auth.environment are not both "development"',
      );
      return;
    }
    yield guestProviderModule;
    yield devUsersProviderModule;
  },
});

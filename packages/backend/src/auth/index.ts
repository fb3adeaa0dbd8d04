import authPlugin from '@backstage/plugin-auth-backend';
import oidcProviderModule from '@backstage/plugin-auth-backend-module-oidc-provider';
import { devSignInModules } from './devSignIn';

/**
 * The auth plugin with its sign-in providers, as the backend adds them: OIDC always (configured by
 * `app-config.production.yaml`), the development providers only in development (`./devSignIn`).
 */
export const authFeatures = [authPlugin, devSignInModules, oidcProviderModule];

export { devSignInModules, isDevelopmentSignIn } from './devSignIn';

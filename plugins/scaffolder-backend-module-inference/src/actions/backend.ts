import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import type {
  InferenceApi,
  TenantInfo,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/**
 * What the inference actions need: the backend's typed client and the auth service.
 * @public
 */
export interface InferenceActionDeps {
  api: InferenceApi;
  auth: AuthService;
}

/**
 * A token for the inference backend on behalf of the user who runs the template: the backend
 * applies that user's permissions, exactly as when they use the portal.
 */
export async function tokenFor(
  auth: AuthService,
  credentials: BackstageCredentials,
): Promise<string> {
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'inference',
  });
  return token;
}

/**
 * Calls the backend and turns its refusals into the matching Backstage errors, with the backend's
 * message (which names the offending field, e.g. `spec.storageUri: is required for sklearn models`).
 */
export async function callBackend<T>(
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ResponseError)) throw error;
    const message = `${what}: ${error.body.error.message}`;
    switch (error.statusCode) {
      case 400:
      case 422:
        throw new InputError(message);
      case 403:
        throw new NotAllowedError(message);
      case 404:
        throw new NotFoundError(message);
      case 409:
        throw new ConflictError(message);
      default:
        throw error;
    }
  }
}

/**
 * The tenant a template names (a group entity ref such as `group:default/tenant-a`, or its name),
 * among the tenants the user may work in as the backend lists them: its permission policy
 * decides, so members see their tenants and platform admins all of them.
 */
export async function resolveTenant(
  api: InferenceApi,
  tenant: string,
  token: string,
): Promise<TenantInfo> {
  const wanted = tenant.trim().toLocaleLowerCase('en-US');
  const tenants = await callBackend('Listing your tenants', () =>
    api.listTenants({ token }),
  );
  const found = tenants.find(
    t =>
      t.ref.toLocaleLowerCase('en-US') === wanted ||
      t.name.toLocaleLowerCase('en-US') === wanted,
  );
  if (!found) {
    const yours = tenants.map(t => t.name).join(', ') || 'none';
    throw new NotAllowedError(
      `tenant: '${tenant}' is not a tenant you may deploy to (yours: ${yours})`,
    );
  }
  return found;
}

import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  inferenceAdminPermission,
  INFERENCE_MODEL_RESOURCE_TYPE,
  ModelLocator,
  Tenant,
  stringifyInferenceModelRef,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { TenantDirectory } from '../tenants/TenantDirectory';

type ModelPermission = ResourcePermission<typeof INFERENCE_MODEL_RESOURCE_TYPE>;

/**
 * Stands for "a model of any name" when asking about a whole tenant: the tenant rule depends only
 * on where a model lives, never on its name.
 */
const ANY_MODEL_NAME = 'any-model';

/** How a refusal names what was refused. */
const ACTIONS: Record<string, string> = {
  'inference.model.read': 'see models',
  'inference.model.create': 'create models',
  'inference.model.update': 'change models',
  'inference.model.delete': 'delete models',
  'inference.model.publish': 'publish models',
  'inference.model.test': 'test models',
  'inference.model.keys.manage': 'manage API keys',
};

/**
 * Every route's permission check, with a resource ref per model so conditional decisions (tenant
 * members) are resolved by this plugin's rule against the tenant directory. A decision never
 * depends on whether the model exists: guessing names reveals nothing.
 */
export interface ModelAccess {
  /** Resolves the model's tenant, or throws NotAllowedError. Models outside every tenant are refused. */
  require(
    credentials: BackstageCredentials,
    permission: ModelPermission,
    model: ModelLocator,
  ): Promise<Tenant>;
  /** Which of the given models the caller holds the permission for. */
  filter<T extends ModelLocator>(
    credentials: BackstageCredentials,
    permission: ModelPermission,
    models: T[],
  ): Promise<T[]>;
  /** Which tenants the caller holds the permission in (for a model of any name there). */
  tenantsAllowed(
    credentials: BackstageCredentials,
    permission: ModelPermission,
  ): Promise<Tenant[]>;
  /** Throws NotAllowedError unless the caller is a platform admin. */
  requireAdmin(credentials: BackstageCredentials): Promise<void>;
}

export function createModelAccess(options: {
  permissions: PermissionsService;
  tenants: TenantDirectory;
}): ModelAccess {
  const { permissions, tenants } = options;

  async function filter<T extends ModelLocator>(
    credentials: BackstageCredentials,
    permission: ModelPermission,
    models: T[],
  ): Promise<T[]> {
    if (models.length === 0) return [];
    // One batch with a resource ref per model: the permission backend resolves conditional
    // decisions through this plugin's rules (see plugin.ts, addResourceType).
    const decisions = await permissions.authorize(
      models.map(model => ({
        permission,
        resourceRef: stringifyInferenceModelRef(model),
      })),
      { credentials },
    );
    const allowed: T[] = [];
    for (const [index, model] of models.entries()) {
      // Even an unconditional ALLOW only covers models inside a tenant namespace.
      if (
        decisions[index].result === AuthorizeResult.ALLOW &&
        (await tenants.byNamespace(model.cluster, model.namespace))
      ) {
        allowed.push(model);
      }
    }
    return allowed;
  }

  return {
    filter,

    async require(credentials, permission, model) {
      const [allowed] = await filter(credentials, permission, [model]);
      const tenant =
        allowed && (await tenants.byNamespace(model.cluster, model.namespace));
      if (!tenant) {
        throw new NotAllowedError(
          `You may not ${
            ACTIONS[permission.name] ?? permission.name
          } in namespace '${model.namespace}' of cluster '${
            model.cluster
          }': it is not one of your tenants`,
        );
      }
      return tenant;
    },

    async tenantsAllowed(credentials, permission) {
      const all = await tenants.list();
      const allowed = await filter(
        credentials,
        permission,
        all.map(t => ({
          cluster: t.cluster,
          namespace: t.namespace,
          name: ANY_MODEL_NAME,
          tenant: t,
        })),
      );
      return allowed.map(a => a.tenant);
    },

    async requireAdmin(credentials) {
      const [decision] = await permissions.authorize(
        [{ permission: inferenceAdminPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError('Only platform admins may use this');
      }
    },
  };
}

import type {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  inferenceAdminPermission,
  INFERENCE_MODEL_RESOURCE_TYPE,
} from '@internal/backstage-plugin-inference-common';
import type { Tenant, TenantDirectory } from '../tenants/TenantDirectory';
import { InferenceModelResource, inferenceModelResourceRef } from './resource';

type ModelPermission = ResourcePermission<typeof INFERENCE_MODEL_RESOURCE_TYPE>;

export interface ModelCoordinates {
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * Every route's permission check. Conditional decisions (tenant members) are evaluated here against
 * the tenant directory, so one rule decides for single models and for lists alike, and a decision
 * never depends on whether the model exists: guessing names reveals nothing.
 */
export interface ModelAccess {
  /** Resolves the model's tenant, or throws NotAllowedError. Models outside every tenant are refused. */
  require(
    credentials: BackstageCredentials,
    permission: ModelPermission,
    model: ModelCoordinates,
  ): Promise<Tenant>;
  /** Which of the given models the caller holds the permission for. */
  filter<T extends ModelCoordinates>(
    credentials: BackstageCredentials,
    permission: ModelPermission,
    models: T[],
  ): Promise<T[]>;
  /** Which tenants the caller holds the permission in (for a model of any name there). */
  tenantsAllowed(credentials: BackstageCredentials, permission: ModelPermission): Promise<Tenant[]>;
  /** Throws NotAllowedError unless the caller is a platform admin. */
  requireAdmin(credentials: BackstageCredentials): Promise<void>;
}

export function createModelAccess(options: {
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  tenants: TenantDirectory;
}): ModelAccess {
  const { permissions, tenants } = options;
  const isAllowed = createConditionAuthorizer(
    options.permissionsRegistry.getPermissionRuleset(inferenceModelResourceRef),
  );

  async function resourceOf(model: ModelCoordinates): Promise<InferenceModelResource> {
    const tenant = await tenants.byNamespace(model.cluster, model.namespace);
    return { ...model, tenantRef: tenant?.ref };
  }

  async function filter<T extends ModelCoordinates>(
    credentials: BackstageCredentials,
    permission: ModelPermission,
    models: T[],
  ): Promise<T[]> {
    const [decision] = await permissions.authorizeConditional([{ permission }], { credentials });
    if (decision.result === AuthorizeResult.DENY) return [];
    const allowed: T[] = [];
    for (const model of models) {
      const resource = await resourceOf(model);
      // Even an unconditional ALLOW only covers models inside a tenant namespace.
      if (resource.tenantRef && isAllowed(decision, resource)) allowed.push(model);
    }
    return allowed;
  }

  return {
    filter,

    async require(credentials, permission, model) {
      const [allowed] = await filter(credentials, permission, [model]);
      const tenant = allowed && (await tenants.byNamespace(model.cluster, model.namespace));
      if (!tenant) {
        throw new NotAllowedError(
          `You may not ${permission.name.replace(/^inference\./, '').replace(/\./g, ' ')} in namespace '${model.namespace}' of cluster '${model.cluster}'`,
        );
      }
      return tenant;
    },

    async tenantsAllowed(credentials, permission) {
      const all = await tenants.list();
      const allowed = await filter(
        credentials,
        permission,
        all.map(t => ({ cluster: t.cluster, namespace: t.namespace, name: '*', tenant: t })),
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

import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod/v3';
import { inferenceModelResourceRef } from './resource';

/**
 * The model lives in the namespace of a tenant group the user belongs to. The policy passes the
 * user's ownership entity refs (their groups, from the catalog) as claims, like the catalog's
 * `isEntityOwner` rule; a model outside every tenant matches nobody.
 */
export const isInUserTenants = createPermissionRule({
  name: 'IS_IN_USER_TENANTS',
  description: "Allow models in the namespaces of the user's tenant groups",
  resourceRef: inferenceModelResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the user and their groups'),
  }),
  apply: (resource, { claims }) =>
    resource.tenantRef !== undefined && claims.includes(resource.tenantRef),
  toQuery: () => {
    throw new Error(
      'IS_IN_USER_TENANTS is evaluated in memory, never as a query',
    );
  },
});

/**
 * The permission rules of inference models, registered with the permissions registry.
 * @public
 */
export const inferenceModelRules = { isInUserTenants };

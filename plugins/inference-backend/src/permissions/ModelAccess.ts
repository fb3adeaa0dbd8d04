import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  inferenceAdminPermission,
  INFERENCE_MODEL_RESOURCE_TYPE,
  ModelLocator,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  InferenceModelResource,
  inferenceModelResourceRef,
  inferenceModelRules,
  TENANTS_MAX_AGE_MS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
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
 * Every route's permission check. Conditional decisions (tenant members) are resolved by this
 * plugin's rule against the tenant directory, for the model's place (cluster, namespace), never
 * its existence: guessing names reveals nothing.
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

/**
 * How long a permission decision of the policy is reused for the same caller: the tenant
 * directory's staleness bound (TENANTS_MAX_AGE_MS), so that a change of who may do what takes
 * effect within the same 5 s as a change of which group owns which namespace.
 */
export const DECISION_MAX_AGE_MS = TENANTS_MAX_AGE_MS;

/** A ruleset of the plugin's own rules, for a permissions registry that has none (test doubles). */
const OWN_RULESET: PermissionRuleset<InferenceModelResource> = {
  getRuleByName(name) {
    const rule = Object.values(inferenceModelRules).find(r => r.name === name);
    if (!rule)
      throw new Error(`Unknown inference model permission rule ${name}`);
    return rule as never;
  },
};

export function createModelAccess(options: {
  permissions: PermissionsService;
  tenants: TenantDirectory;
  /** The rules conditional decisions name (the permissions registry's ruleset of the model resource). */
  ruleset?: PermissionRuleset<InferenceModelResource>;
}): ModelAccess {
  const { permissions, tenants } = options;
  const authorizeModel = createConditionAuthorizer(
    options.ruleset ?? OWN_RULESET,
  );

  /**
   * The policy's decision on a permission for one caller.
   *
   * Model permissions are asked with `authorizeConditional` and no resource: the policy answers
   * ALLOW, DENY, or CONDITIONAL with this plugin's rules, which are then applied here to every model
   * the request touches, against the tenant directory. That is what the permission backend would
   * do with a resourceRef (it calls back into this plugin's apply-conditions endpoint, which runs
   * the same rules on the same resources from getResources in plugin.ts), minus one HTTP round trip
   * per check, and one call covers any number of models (lists, filters): the checks a request
   * needs are one call per permission.
   *
   * A user's decision is reused for DECISION_MAX_AGE_MS (5 s) for the same user, acting through the
   * same plugin, and permission; everything else (service principals) for the request that asked
   * only (its credentials object). Why this is safe: what is reused is only the policy's answer,
   * which depends on the caller's identity and the groups in their token, never the model: a
   * conditional answer is applied to every call's own model against the live tenant directory, so
   * tenant isolation is decided per call. A new token with other groups (sign-in, refresh), or a
   * changed policy, is followed within 5 s, the same bound as the tenant groups themselves. A
   * failed check is never reused.
   */
  const userDecisions = new Map<
    string,
    { at: number; decision: Promise<PolicyDecision> }
  >();
  const requestDecisions = new WeakMap<
    BackstageCredentials,
    Map<string, { at: number; decision: Promise<PolicyDecision> }>
  >();
  function decide(
    credentials: BackstageCredentials,
    permission: ModelPermission | typeof inferenceAdminPermission,
  ): Promise<PolicyDecision> {
    const now = Date.now();
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
      actor?: { subject?: string };
    };
    let cache: Map<string, { at: number; decision: Promise<PolicyDecision> }>;
    let key: string;
    if (principal.type === 'user' && principal.userEntityRef) {
      cache = userDecisions;
      key = JSON.stringify([
        principal.userEntityRef,
        principal.actor?.subject ?? null,
        permission.name,
      ]);
      if (cache.size > 10_000) {
        for (const [k, v] of cache) {
          if (now - v.at > DECISION_MAX_AGE_MS) cache.delete(k);
        }
      }
    } else {
      cache = requestDecisions.get(credentials) ?? new Map();
      requestDecisions.set(credentials, cache);
      key = permission.name;
    }
    const known = cache.get(key);
    if (known && now - known.at <= DECISION_MAX_AGE_MS) return known.decision;
    const decision = isResourcePermission(permission)
      ? permissions
          .authorizeConditional([{ permission }], { credentials })
          .then(([d]) => d)
      : permissions
          .authorize([{ permission }], { credentials })
          .then(([d]) => d);
    const entry = { at: now, decision };
    cache.set(key, entry);
    decision.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return decision;
  }

  /** Whether a decision covers a model in this tenant (undefined: outside every tenant). */
  function covers(
    decision: PolicyDecision,
    model: ModelLocator,
    tenant: Tenant | undefined,
  ): boolean {
    // Even an unconditional ALLOW only covers models inside a tenant namespace.
    if (!tenant) return false;
    if (decision.result === AuthorizeResult.ALLOW) return true;
    if (decision.result !== AuthorizeResult.CONDITIONAL) return false;
    // Conditions of another plugin or resource type cannot be evaluated here: refused.
    if (
      decision.pluginId !== inferenceModelResourceRef.pluginId ||
      decision.resourceType !== INFERENCE_MODEL_RESOURCE_TYPE
    ) {
      return false;
    }
    return authorizeModel(decision, {
      cluster: model.cluster,
      namespace: model.namespace,
      name: model.name,
      tenantRef: tenant.ref,
    });
  }

  async function filter<T extends ModelLocator>(
    credentials: BackstageCredentials,
    permission: ModelPermission,
    models: T[],
  ): Promise<T[]> {
    if (models.length === 0) return [];
    const [decision, all] = await Promise.all([
      decide(credentials, permission),
      tenants.list(),
    ]);
    return models.filter(model =>
      covers(
        decision,
        model,
        all.find(
          t => t.cluster === model.cluster && t.namespace === model.namespace,
        ),
      ),
    );
  }

  return {
    filter,

    async require(credentials, permission, model) {
      const [decision, tenant] = await Promise.all([
        decide(credentials, permission),
        tenants.byNamespace(model.cluster, model.namespace),
      ]);
      if (!covers(decision, model, tenant)) {
        throw new NotAllowedError(
          `You may not ${
            ACTIONS[permission.name] ?? permission.name
          } in namespace '${model.namespace}' of cluster '${
            model.cluster
          }': it is not one of your tenants`,
        );
      }
      return tenant!;
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
      const decision = await decide(credentials, inferenceAdminPermission);
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError('Only platform admins may use this');
      }
    },
  };
}

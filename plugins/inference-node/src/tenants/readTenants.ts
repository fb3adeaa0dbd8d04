import { resolve as resolvePath } from 'node:path';
import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseLocationRef,
  stringifyEntityRef,
  stringifyLocationRef,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_NAMESPACE,
  DNS_LABEL_PATTERN,
  Tenant,
  TENANT_ENTITY_FILTER,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/**
 * Where tenant groups are trusted from when `inference.tenants.trustedLocations` is not set: the
 * repository's `catalog/org.yaml` as `app-config.yaml` registers it (`../../catalog/org.yaml`, the
 * backend running in `packages/backend`), and the same file from the repository root (the working
 * directory of a repository-wide test run). Only locations the platform configured can ever be
 * an entity's origin for `file:` targets (users may register `url:` locations only).
 * @public
 */
export const DEFAULT_TRUSTED_TENANT_LOCATIONS = [
  'file:../../catalog/org.yaml',
  'file:./catalog/org.yaml',
];

/**
 * The location refs tenant groups are trusted from, in the form the catalog writes them into
 * `backstage.io/managed-by-origin-location`: a relative `file:` target is resolved against the
 * working directory, as the catalog's `ConfigLocationEntityProvider` does for `catalog.locations`.
 * @public
 */
export function readTrustedTenantLocations(config: Config): string[] {
  const configured = config.getOptionalStringArray(
    'inference.tenants.trustedLocations',
  );
  return (configured ?? DEFAULT_TRUSTED_TENANT_LOCATIONS).map(ref => {
    try {
      return normalizeLocationRef(ref);
    } catch (error) {
      throw new Error(
        `Invalid inference.tenants.trustedLocations entry '${ref}', expected <type>:<target>: ${error}`,
      );
    }
  });
}

function normalizeLocationRef(ref: string): string {
  const { type, target } = parseLocationRef(ref);
  return stringifyLocationRef({
    type,
    target: type === 'file' ? resolvePath(target) : target,
  });
}

/** One reason a tenant group is not a tenant, with a key that stays the same while it lasts. */
interface Problem {
  key: string;
  level: 'warn' | 'error';
  message: string;
}

/**
 * The problems each logger has been told about, so that a problem is logged once while it lasts
 * (not on every read, which happens every few seconds), and again if it comes back after a fix.
 */
const reportedProblems = new WeakMap<LoggerService, Set<string>>();

function report(logger: LoggerService, problems: Problem[]) {
  const before = reportedProblems.get(logger) ?? new Set<string>();
  for (const problem of problems) {
    if (!before.has(problem.key)) logger[problem.level](problem.message);
  }
  reportedProblems.set(logger, new Set(problems.map(p => p.key)));
}

/** What {@link readTenants} reads from. @public */
export interface ReadTenantsOptions {
  catalog: CatalogService;
  auth: AuthService;
  /** The root config: `inference.tenants.trustedLocations`. */
  config: Config;
  /** Where skipped and conflicting tenant groups are reported. */
  logger: LoggerService;
  defaultCluster: string;
  /** The configured cluster names; a group naming any other cluster is skipped. */
  clusterNames: string[];
}

const isDnsLabel = (value: string) =>
  value.length <= 63 && DNS_LABEL_PATTERN.test(value);

/**
 * The tenants: the catalog's tenant Groups that name their namespace (and their cluster, unless
 * it is the default one). Read with the caller's own service credentials: tenant groups are not
 * secret, and who may act in a tenant is decided by the permission policy, not by this list.
 *
 * A tenant group counts only when all of these hold, otherwise it is skipped and the reason logged
 * (once while it lasts, per logger):
 * - trust: its `backstage.io/managed-by-origin-location`, which the catalog itself sets to the
 *   location the entity was registered through (whatever the YAML says), is one of
 *   {@link readTrustedTenantLocations}. A group from any other location (one a user registered)
 *   owns nothing.
 * - validity: its name (a Kubernetes label value and a path segment of endpoints) and its
 *   namespace are DNS labels, and its cluster is a configured one.
 * - uniqueness: no other trusted, valid group claims the same cluster and namespace, or has the
 *   same name in another catalog namespace. Conflicting groups are all refused (fail closed).
 *
 * The tenant's identity is its entity ref (`ref`); `name` is only for Kubernetes labels and paths.
 * @public
 */
export async function readTenants(
  options: ReadTenantsOptions,
): Promise<Tenant[]> {
  const trusted = new Set(readTrustedTenantLocations(options.config));
  const clusters = new Set([...options.clusterNames, options.defaultCluster]);
  const { items } = await options.catalog.getEntities(
    { filter: { ...TENANT_ENTITY_FILTER } },
    { credentials: await options.auth.getOwnServiceCredentials() },
  );

  const problems: Problem[] = [];
  const candidates = items.flatMap(group => {
    const tenant = candidateTenant(group, options.defaultCluster);
    if (!tenant) return [];
    const origin = group.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
    // Compared as the catalog writes it (file targets absolute): no normalizing of the entity's side.
    if (!origin || !trusted.has(origin)) {
      problems.push({
        key: `untrusted ${tenant.ref} ${origin}`,
        level: 'warn',
        message: `Ignoring tenant group ${
          tenant.ref
        }: it comes from catalog location '${
          origin ?? '(none)'
        }', which is not one of inference.tenants.trustedLocations`,
      });
      return [];
    }
    const invalid = [
      !isDnsLabel(tenant.name) &&
        `its name '${tenant.name}' is not a DNS label`,
      !isDnsLabel(tenant.namespace) &&
        `its namespace '${tenant.namespace}' is not a DNS label`,
      !clusters.has(tenant.cluster) &&
        `its cluster '${tenant.cluster}' is not configured`,
    ].filter((reason): reason is string => Boolean(reason));
    if (invalid.length > 0) {
      problems.push({
        key: `invalid ${tenant.ref} ${tenant.cluster}/${tenant.namespace}`,
        level: 'warn',
        message: `Ignoring tenant group ${tenant.ref}: ${invalid.join(', ')}`,
      });
      return [];
    }
    return [tenant];
  });

  const refused = new Set<string>();
  const conflicts = (
    keyOf: (t: Tenant) => string,
    claim: (t: Tenant) => string,
  ) => {
    const claims = new Map<string, Tenant[]>();
    for (const tenant of candidates) {
      const key = keyOf(tenant);
      claims.set(key, [...(claims.get(key) ?? []), tenant]);
    }
    for (const [key, claimants] of claims) {
      if (claimants.length < 2) continue;
      const refs = claimants.map(t => t.ref).sort();
      refs.forEach(ref => refused.add(ref));
      problems.push({
        key: `conflict ${key} ${refs.join(' ')}`,
        level: 'error',
        message: `Tenant groups ${refs.join(', ')} all claim ${claim(
          claimants[0],
        )}; none of them is a tenant until only one does`,
      });
    }
  };
  conflicts(
    t => `namespace ${t.cluster}/${t.namespace}`,
    t => `namespace '${t.namespace}' of cluster '${t.cluster}'`,
  );
  // The bare name labels the tenant's objects and is a path segment of its endpoints.
  conflicts(
    t => `name ${t.name}`,
    t => `the tenant name '${t.name}' (Kubernetes labels, endpoint paths)`,
  );

  report(options.logger, problems);
  return candidates.filter(t => !refused.has(t.ref));
}

function candidateTenant(
  group: Entity,
  defaultCluster: string,
): Tenant | undefined {
  const annotations = group.metadata.annotations ?? {};
  const namespace = annotations[ANNOTATION_NAMESPACE];
  if (!namespace) return undefined;
  return {
    ref: stringifyEntityRef(group),
    name: group.metadata.name,
    title: group.metadata.title,
    cluster: annotations[ANNOTATION_CLUSTER] ?? defaultCluster,
    namespace,
    members: (group.relations ?? [])
      .filter(r => r.type === 'hasMember')
      .map(r => r.targetRef)
      .sort(),
  };
}

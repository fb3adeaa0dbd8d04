import path from 'node:path';
import { DEFAULT_OBJECTS } from '@backstage/plugin-kubernetes-backend';
import { parse } from 'yaml';
import { CONFIGS_DIR } from '../repoPaths';
import { KubeObject, readObjects } from './readManifests';

/**
 * The portal's RBAC is least privilege: exactly the kinds its backend writes, only in tenant
 * namespaces, read-only everywhere else, and never a wildcard.
 */

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ_VERBS = ['get', 'list', 'watch'];

/** group/resource pairs the backend writes (docs/architecture.md, "Objects a publication writes"). */
const WRITABLE = new Set([
  'serving.kserve.io/inferenceservices',
  'gateway.envoyproxy.io/backends',
  'gateway.envoyproxy.io/securitypolicies',
  'gateway.envoyproxy.io/backendtrafficpolicies',
  'aigateway.envoyproxy.io/aiservicebackends',
  'aigateway.envoyproxy.io/aigatewayroutes',
  'gateway.networking.k8s.io/httproutes',
  'security.istio.io/authorizationpolicies',
  '/secrets',
]);
/**
 * What the model page's Kubernetes tab reads in tenant namespaces: the Kubernetes plugin's default
 * object types, and the custom resources the portal's cluster config adds to them.
 */
const KUBERNETES_TAB_READS = (() => {
  const configMap = readObjects(path.join(CONFIGS_DIR, 'portal')).find(
    o =>
      o.kind === 'ConfigMap' && o.metadata.name === 'inference-portal-config',
  );
  const appConfig = parse(configMap?.data['app-config.cluster.yaml'] ?? '');
  const custom: Array<{ group: string; plural: string }> =
    appConfig.kubernetes?.customResources ?? [];
  return [...DEFAULT_OBJECTS, ...custom].map(o => `${o.group}/${o.plural}`);
})();
/** Read-only in tenant namespaces. */
const TENANT_READABLE = new Set([
  '/pods',
  '/events',
  '/services',
  ...KUBERNETES_TAB_READS,
]);
/** Read-only discovery outside tenant namespaces. */
const DISCOVERY_READABLE = new Set([
  'apiextensions.k8s.io/customresourcedefinitions',
  '/namespaces',
  'gateway.networking.k8s.io/gatewayclasses',
  'gateway.networking.k8s.io/gateways',
  // Cluster-wide lists of the publication kinds other than Secrets: public model names are unique
  // per hostname across tenants, and GET /publications lists each kind once per cluster.
  'aigateway.envoyproxy.io/aigatewayroutes',
  'aigateway.envoyproxy.io/aiservicebackends',
  'gateway.envoyproxy.io/backends',
  'gateway.envoyproxy.io/securitypolicies',
  'gateway.envoyproxy.io/backendtrafficpolicies',
  'gateway.networking.k8s.io/httproutes',
  'security.istio.io/authorizationpolicies',
]);

const objects = readObjects(path.join(CONFIGS_DIR, 'portal'));
const roles = objects.filter(
  o => o.kind === 'Role' || o.kind === 'ClusterRole',
);
const bindings = objects.filter(
  o => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding',
);
const tenantNamespaces = readObjects(path.join(CONFIGS_DIR, 'tenants'))
  .filter(
    o =>
      o.kind === 'Namespace' &&
      o.metadata.labels?.['inference.platform.io/tenant-namespace'] === 'true',
  )
  .map(o => o.metadata.name as string);

function roleOf(binding: KubeObject): KubeObject {
  const role = roles.find(
    r =>
      r.kind === binding.roleRef.kind &&
      r.metadata.name === binding.roleRef.name &&
      (r.kind === 'ClusterRole' ||
        r.metadata.namespace === binding.metadata.namespace),
  );
  if (!role)
    throw new Error(
      `binding ${binding.metadata.name} refers to a missing role`,
    );
  return role;
}

function grants(role: KubeObject): Array<{ resource: string; verb: string }> {
  return (role.rules ?? []).flatMap((rule: KubeObject) =>
    (rule.apiGroups as string[]).flatMap(group =>
      (rule.resources as string[]).flatMap(resource =>
        (rule.verbs as string[]).map(verb => ({
          resource: `${group}/${resource}`,
          verb,
        })),
      ),
    ),
  );
}

describe('portal RBAC (configs/portal)', () => {
  it('has roles and bindings to check', () => {
    expect(roles.length).toBeGreaterThanOrEqual(3);
    expect(tenantNamespaces).toEqual(['tenant-a', 'tenant-b', 'tenant-c']);
  });

  it('uses no wildcard verbs, resources, groups or names, and no escalation verbs', () => {
    for (const role of roles) {
      for (const rule of role.rules) {
        expect([
          ...rule.verbs,
          ...rule.resources,
          ...rule.apiGroups,
        ]).not.toContain('*');
        expect(rule.nonResourceURLs).toBeUndefined();
        expect(rule.verbs).not.toEqual(expect.arrayContaining(['escalate']));
        for (const verb of rule.verbs)
          expect([...READ_VERBS, ...WRITE_VERBS]).toContain(verb);
      }
    }
  });

  it('writes only the kinds the backend writes, and only in tenant namespaces', () => {
    for (const binding of bindings) {
      const writes = grants(roleOf(binding)).filter(g =>
        WRITE_VERBS.includes(g.verb),
      );
      if (writes.length === 0) continue;
      expect(binding.kind).toBe('RoleBinding');
      expect(tenantNamespaces).toContain(binding.metadata.namespace);
      for (const { resource } of writes) expect(WRITABLE).toContain(resource);
    }
  });

  it('grants Secrets only through RoleBindings in tenant namespaces', () => {
    for (const binding of bindings) {
      const secretGrants = grants(roleOf(binding)).filter(
        g => g.resource === '/secrets',
      );
      if (secretGrants.length === 0) continue;
      expect(binding.kind).toBe('RoleBinding');
      expect(tenantNamespaces).toContain(binding.metadata.namespace);
    }
  });

  it('is read-only outside tenant namespaces, limited to discovery', () => {
    const outside = bindings.filter(
      b =>
        b.kind === 'ClusterRoleBinding' ||
        !tenantNamespaces.includes(b.metadata.namespace),
    );
    expect(outside.length).toBeGreaterThan(0);
    for (const binding of outside) {
      for (const { resource, verb } of grants(roleOf(binding))) {
        expect(READ_VERBS).toContain(verb);
        expect(DISCOVERY_READABLE).toContain(resource);
      }
    }
  });

  it('reads only pods, events and services besides what it writes in tenants', () => {
    const allowed = new Set([...WRITABLE, ...TENANT_READABLE]);
    const tenantBindings = bindings.filter(b =>
      tenantNamespaces.includes(b.metadata.namespace),
    );
    const readResources = tenantBindings.flatMap(binding =>
      grants(roleOf(binding))
        .filter(g => READ_VERBS.includes(g.verb))
        .map(g => g.resource),
    );
    expect(readResources.length).toBeGreaterThan(0);
    for (const resource of readResources) expect(allowed).toContain(resource);
  });

  it('lets the Kubernetes tab list every object type it asks for, in every tenant namespace', () => {
    expect(KUBERNETES_TAB_READS).toEqual(
      expect.arrayContaining([
        'apps/deployments',
        'serving.kserve.io/inferenceservices',
      ]),
    );
    for (const namespace of tenantNamespaces) {
      const listable = bindings
        .filter(b => b.metadata.namespace === namespace)
        .flatMap(b => grants(roleOf(b)))
        .filter(g => g.verb === 'list')
        .map(g => g.resource);
      for (const resource of KUBERNETES_TAB_READS)
        expect({
          namespace,
          resource,
          listable: listable.includes(resource),
        }).toEqual({ namespace, resource, listable: true });
    }
  });

  it('binds the tenant role in every tenant namespace, to the portal service account only', () => {
    const tenantBindings = bindings.filter(
      b => b.roleRef.name === 'inference-portal-tenant',
    );
    expect(tenantBindings.map(b => b.metadata.namespace).sort()).toEqual(
      tenantNamespaces,
    );
    for (const binding of bindings) {
      expect(binding.subjects).toEqual([
        {
          kind: 'ServiceAccount',
          name: 'inference-portal',
          namespace: 'inference-portal',
        },
      ]);
    }
  });
});

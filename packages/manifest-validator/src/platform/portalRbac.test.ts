import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_OBJECTS } from '@backstage/plugin-kubernetes-backend';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIGS_DIR, REPO_ROOT } from '../repoPaths';
import { KubeObject, readObjects, readTenantNamespaces } from './readManifests';

/**
 * The portal's RBAC is least privilege: exactly the calls its backend makes (the table below, each
 * row naming the source file that makes the call), the writes only in tenant namespaces, read-only
 * everywhere else, and never a wildcard.
 */

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ_VERBS = ['get', 'list', 'watch'];

type Scope = 'tenant' | 'cluster' | 'gateway';

/**
 * The verbs of each method of the backend's cluster client
 * (plugins/inference-node/src/cluster/createClusterClient.ts). `apply` is a server-side apply, a
 * PATCH; when it creates the object the API server also checks `create` (k8s.io/apiserver
 * pkg/endpoints/handlers/patch.go, `createAuthorizerAttributes`). Dry runs need the same verbs.
 * `list` is the Kubernetes plugin's only verb too (KubernetesFetcher `fetchResource`).
 */
const CLIENT_VERBS = {
  get: ['get'],
  list: ['list'],
  /** `informer`: client-node's ListWatch lists, then watches. */
  informer: ['list', 'watch'],
  apply: ['create', 'patch'],
  delete: ['delete'],
} as const;

/** Where a call is made: a file of this repository (or of an installed package) and a line of it. */
interface Source {
  file: string;
  contains: string;
}

interface Call {
  /** `group/plural`, the core group empty. */
  resources: string[];
  method: keyof typeof CLIENT_VERBS;
  /** tenant: in each tenant namespace; cluster: across namespaces; gateway: the Gateway's namespace. */
  scope: Scope;
  why: string;
  sources: Source[];
}

const PUBLICATION_RESOURCES = [
  'gateway.envoyproxy.io/backends',
  'gateway.envoyproxy.io/securitypolicies',
  'gateway.envoyproxy.io/backendtrafficpolicies',
  'aigateway.envoyproxy.io/aiservicebackends',
  'aigateway.envoyproxy.io/aigatewayroutes',
  'gateway.networking.k8s.io/httproutes',
  'security.istio.io/authorizationpolicies',
];
const ISVC = 'serving.kserve.io/inferenceservices';
const MODELS = 'plugins/inference-backend/src/models/ModelService.ts';
const APPLY_PUBLICATION =
  'plugins/inference-backend/src/publication/applyPublication.ts';
const ENGINE = 'plugins/inference-backend/src/publication/publicationEngine.ts';
const PLATFORM = 'plugins/inference-backend/src/platform/PlatformService.ts';
const KUBERNETES_FETCHER =
  'node_modules/@backstage/plugin-kubernetes-backend/dist/service/KubernetesFetcher.cjs.js';

/** The object types the model page's Kubernetes tab lists: the plugin's defaults and the cluster config's custom resources. */
function kubernetesTabResources(configMap: KubeObject | undefined): string[] {
  const appConfig = parse(configMap?.data['app-config.cluster.yaml'] ?? '');
  const custom: Array<{ group: string; plural: string }> =
    appConfig?.kubernetes?.customResources ?? [];
  return [...DEFAULT_OBJECTS, ...custom].map(o => `${o.group}/${o.plural}`);
}

const portalConfigMap = readObjects(path.join(CONFIGS_DIR, 'portal')).find(
  o => o.kind === 'ConfigMap' && o.metadata.name === 'inference-portal-config',
);
const KUBERNETES_TAB_READS = kubernetesTabResources(portalConfigMap);

/** Everything the portal's backend does to a cluster, and where. */
const BACKEND_CALLS: Call[] = [
  {
    resources: [ISVC],
    method: 'get',
    scope: 'tenant',
    why: 'a model, and the model a publication exposes',
    sources: [
      {
        file: MODELS,
        contains: '.get<InferenceServiceObject>(isvcRef(model))',
      },
      { file: ENGINE, contains: 'cluster.get<InferenceServiceObject>({' },
    ],
  },
  {
    resources: [ISVC],
    method: 'list',
    scope: 'tenant',
    why: "a tenant's models: the models page, the catalog's model entities, the platform overview; a published model with its blue-green candidate",
    sources: [
      { file: MODELS, contains: '.list<InferenceServiceObject>(' },
      { file: ENGINE, contains: 'cluster.list<InferenceServiceObject>(' },
      {
        file: 'plugins/catalog-backend-module-inference/src/discovery/discoverModels.ts',
        contains: 'KINDS.inferenceService.kind',
      },
      { file: PLATFORM, contains: 'KINDS.inferenceService.kind' },
    ],
  },
  {
    resources: [ISVC],
    method: 'apply',
    scope: 'tenant',
    why: 'deploy and change a model (dry run first)',
    sources: [
      { file: MODELS, contains: 'cluster.apply(manifest, { dryRun: true })' },
      { file: MODELS, contains: 'cluster.apply(manifest)' },
    ],
  },
  {
    resources: [ISVC],
    method: 'delete',
    scope: 'tenant',
    why: 'delete a model',
    sources: [{ file: MODELS, contains: '.delete(isvcRef(model))' }],
  },
  {
    resources: [...PUBLICATION_RESOURCES, '/secrets'],
    method: 'list',
    scope: 'tenant',
    why: "a publication's objects, by its labels (keys, status, catalog API entities, key expiry)",
    sources: [
      {
        file: 'plugins/inference-node/src/publication/publicationObjects.ts',
        contains:
          'cluster.list(apiVersion, kind, { namespace, labelSelector })',
      },
      {
        file: 'plugins/inference-backend/src/apiKeys/expireKeys.ts',
        contains: '.list(KINDS.secret.apiVersion, KINDS.secret.kind',
      },
    ],
  },
  {
    resources: PUBLICATION_RESOURCES,
    method: 'informer',
    scope: 'tenant',
    why: 'the publication cache: a change plans from a watch of the publication objects (no Secrets)',
    sources: [
      {
        file: 'plugins/inference-backend/src/publication/publicationCache.ts',
        contains: 'cluster.informer?.(kind.apiVersion, kind.kind, {',
      },
      {
        file: 'plugins/inference-node/src/cluster/createClusterClient.ts',
        contains: 'new Watch(kc)',
      },
    ],
  },
  {
    resources: [...PUBLICATION_RESOURCES, '/secrets'],
    method: 'apply',
    scope: 'tenant',
    why: 'publish (dry run first), rotate and expire keys, roll back',
    sources: [
      {
        file: APPLY_PUBLICATION,
        contains: 'cluster.apply(o, { force: true })',
      },
      {
        file: ENGINE,
        contains: 'cluster.apply(o, { dryRun: true, force: true })',
      },
    ],
  },
  {
    resources: [...PUBLICATION_RESOURCES, '/secrets'],
    method: 'delete',
    scope: 'tenant',
    why: 'unpublish, prune what a republish no longer has, roll back',
    sources: [
      { file: APPLY_PUBLICATION, contains: 'cluster.delete(refOf(o))' },
      { file: APPLY_PUBLICATION, contains: 'await cluster.delete(ref)' },
    ],
  },
  {
    resources: KUBERNETES_TAB_READS,
    method: 'list',
    scope: 'tenant',
    why: "the model page's Kubernetes tab, in the caller's tenant namespaces",
    sources: [
      { file: KUBERNETES_FETCHER, contains: 'async fetchResource(' },
      {
        file: 'packages/backend/src/kubernetes/tenantScopedObjectsModule.ts',
        contains: 'kubernetesObjectsProviderExtensionPoint',
      },
    ],
  },
  {
    resources: ['/events'],
    method: 'list',
    scope: 'tenant',
    why: "the Kubernetes tab's pod view, through the plugin's proxy",
    sources: [
      {
        file: 'node_modules/@backstage/plugin-kubernetes-react/dist/api/KubernetesProxyClient.esm.js',
        contains: '/events?fieldSelector=involvedObject.name=',
      },
    ],
  },
  {
    resources: ['/namespaces'],
    method: 'get',
    scope: 'cluster',
    why: "whether a tenant's namespace exists (the tenants page)",
    sources: [
      {
        file: 'plugins/inference-backend/src/tenants/TenantService.ts',
        contains: '...KINDS.namespace,',
      },
    ],
  },
  {
    resources: PUBLICATION_RESOURCES,
    method: 'list',
    scope: 'cluster',
    why: 'one list per kind for GET /publications and the hostname check (no Secrets)',
    sources: [
      {
        file: 'plugins/inference-backend/src/publication/listPublications.ts',
        contains: 'cluster.list(apiVersion, kind, { labelSelector })',
      },
      {
        file: 'plugins/inference-backend/src/publication/checkHostnameFree.ts',
        contains: 'cluster.list(apiVersion, kind, selector)',
      },
    ],
  },
  {
    resources: ['gateway.networking.k8s.io/gateways'],
    method: 'get',
    scope: 'gateway',
    why: "the shared Gateway's status (the platform overview)",
    sources: [{ file: PLATFORM, contains: "kind: 'Gateway'" }],
  },
];

/** `scope resource verb` strings the table requires. */
function requiredGrants(): Set<string> {
  return new Set(
    BACKEND_CALLS.flatMap(call =>
      call.resources.flatMap(resource =>
        CLIENT_VERBS[call.method].map(
          verb => `${call.scope} ${resource} ${verb}`,
        ),
      ),
    ),
  );
}

interface Rbac {
  roles: KubeObject[];
  bindings: KubeObject[];
}

function rbacOf(objects: KubeObject[]): Rbac {
  return {
    roles: objects.filter(o => o.kind === 'Role' || o.kind === 'ClusterRole'),
    bindings: objects.filter(
      o => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding',
    ),
  };
}

function roleOf(rbac: Rbac, binding: KubeObject): KubeObject {
  const role = rbac.roles.find(
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

const tenantNamespaces = readTenantNamespaces(
  path.join(CONFIGS_DIR, 'tenants'),
);
const gatewayNamespace: string = parse(
  portalConfigMap?.data['app-config.cluster.yaml'] ?? '',
).inference.gateway.namespace;

/**
 * The grants of the given RBAC objects as `scope resource verb` strings, where the scope of a
 * RoleBinding's grants is `tenant` when it is in every tenant namespace (a grant in only some of
 * them is reported as such) and `gateway` in the Gateway's namespace.
 */
function grantedBy(rbac: Rbac): Set<string> {
  const granted = new Set<string>();
  const perTenant = new Map<string, Set<string>>(
    tenantNamespaces.map(ns => [ns, new Set<string>()]),
  );
  for (const binding of rbac.bindings) {
    const ns = binding.metadata.namespace;
    for (const { resource, verb } of grants(roleOf(rbac, binding))) {
      if (binding.kind === 'ClusterRoleBinding')
        granted.add(`cluster ${resource} ${verb}`);
      else if (perTenant.has(ns)) perTenant.get(ns)!.add(`${resource} ${verb}`);
      else if (ns === gatewayNamespace)
        granted.add(`gateway ${resource} ${verb}`);
      else granted.add(`namespace ${ns} ${resource} ${verb}`);
    }
  }
  const all = [...perTenant.values()].flatMap(s => [...s]);
  for (const grant of new Set(all)) {
    const everywhere = [...perTenant.values()].every(s => s.has(grant));
    granted.add(everywhere ? `tenant ${grant}` : `some tenants ${grant}`);
  }
  return granted;
}

/** What the RBAC grants beyond the table, and what the table needs that it does not grant. */
function compareWithCalls(rbac: Rbac) {
  const granted = grantedBy(rbac);
  const required = requiredGrants();
  return {
    unused: [...granted].filter(g => !required.has(g)).sort(),
    missing: [...required].filter(g => !granted.has(g)).sort(),
  };
}

const current = rbacOf(readObjects(path.join(CONFIGS_DIR, 'portal')));
const { roles, bindings } = current;
const WRITABLE = new Set(
  BACKEND_CALLS.filter(c => c.method === 'apply' || c.method === 'delete')
    .filter(c => c.scope === 'tenant')
    .flatMap(c => c.resources),
);

describe('portal RBAC (configs/portal)', () => {
  it('has roles and bindings to check', () => {
    expect(roles.length).toBeGreaterThanOrEqual(3);
    expect(tenantNamespaces).toEqual(['tenant-a', 'tenant-b', 'tenant-c']);
    expect(gatewayNamespace).toBe('envoy-gateway-system');
  });

  it('grants exactly the calls the backend makes: no unused grant, none missing', () => {
    expect(compareWithCalls(current)).toEqual({ unused: [], missing: [] });
  });

  it('cites, for every call, source files that make it', () => {
    for (const call of BACKEND_CALLS) {
      expect(call.sources.length).toBeGreaterThan(0);
      for (const source of call.sources) {
        const file = path.join(REPO_ROOT, source.file);
        const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
        expect({ ...source, found: text.includes(source.contains) }).toEqual({
          ...source,
          found: true,
        });
      }
    }
  });

  it('reports the unused grants of the RBAC before issue 16 (CRDs, GatewayClasses, watch, update)', () => {
    const before = rbacOf(
      parseAllDocuments(
        fs.readFileSync(
          path.join(__dirname, '__fixtures__/portal-rbac.before-issue-16.yaml'),
          'utf8',
        ),
      ).map(d => d.toJS()),
    );
    const { unused } = compareWithCalls(before);
    expect(unused).toEqual(
      expect.arrayContaining([
        'cluster apiextensions.k8s.io/customresourcedefinitions get',
        'cluster apiextensions.k8s.io/customresourcedefinitions list',
        'cluster gateway.networking.k8s.io/gatewayclasses list',
        'cluster /namespaces list',
        'tenant serving.kserve.io/inferenceservices watch',
        'tenant serving.kserve.io/inferenceservices update',
        'tenant /secrets get',
        'tenant /secrets watch',
        'tenant /pods get',
        'gateway gateway.networking.k8s.io/gateways watch',
      ]),
    );
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
      const writes = grants(roleOf(current, binding)).filter(g =>
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
      const secretGrants = grants(roleOf(current, binding)).filter(
        g => g.resource === '/secrets',
      );
      if (secretGrants.length === 0) continue;
      expect(binding.kind).toBe('RoleBinding');
      expect(tenantNamespaces).toContain(binding.metadata.namespace);
    }
  });

  it('is read-only outside tenant namespaces', () => {
    const outside = bindings.filter(
      b =>
        b.kind === 'ClusterRoleBinding' ||
        !tenantNamespaces.includes(b.metadata.namespace),
    );
    expect(outside.length).toBeGreaterThan(0);
    for (const binding of outside) {
      for (const { verb } of grants(roleOf(current, binding)))
        expect(READ_VERBS).toContain(verb);
    }
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
        .flatMap(b => grants(roleOf(current, b)))
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

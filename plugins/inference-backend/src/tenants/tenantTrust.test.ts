// Tenant trust through the real inference plugin: forged tenant groups from a location a user
// registered, and broken tenant groups from the trusted org file, next to the repository's catalog.
// Permission decisions follow the portal's policy (platform admins: everything; everybody else:
// the plugin's IS_IN_USER_TENANTS rule with their ownership claims): conditional decisions the
// plugin resolves against its tenant directory, and checks of one resource resolved through this
// plugin's own permission resource type (getResources through the tenant directory), as the
// permission backend would.
import {
  coreServices,
  createServiceFactory,
  PermissionsRegistryServiceAddResourceTypeOptions,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createInferenceModelConditionalDecision,
  inferenceModelConditions,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  apiAs,
  apiKeyPublishRequest,
  InferenceTestBackend,
  irisSpec,
  loadCatalogEntities,
  startPluginBackend,
  storedObjects,
  tenantGroupEntity,
} from '../__testUtils__';

jest.setTimeout(120_000);

const USER_REPO =
  'url:https://git.example.com/mallory/stuff/blob/main/catalog-info.yaml';
const repositoryCatalog = loadCatalogEntities();
/** What the catalog records for catalog/org.yaml, the trusted location (as in the fixtures). */
const ORG_FILE = repositoryCatalog.find(
  e => e.kind === 'Group' && e.metadata.name === 'tenant-a',
)!.metadata.annotations!['backstage.io/managed-by-origin-location'];

/**
 * What a forger writes into their YAML is overwritten by the catalog with the location the entity
 * was registered through: `origin`.
 */
const tenantGroup = (
  ref: { namespace: string; name: string },
  annotations: Record<string, string>,
  origin: string,
  members: string[],
): Entity => tenantGroupEntity({ ...ref, annotations, origin, members });

const EXTRA_ENTITIES: Entity[] = [
  // Mallory registered a location of her own with a group named like tenant-a, owning tenant-a's
  // namespace, with herself as member; and one claiming a namespace no tenant owns.
  tenantGroup(
    { namespace: 'mallory', name: 'tenant-a' },
    { 'inference.platform.io/namespace': 'tenant-a' },
    USER_REPO,
    ['user:default/mallory'],
  ),
  tenantGroup(
    { namespace: 'default', name: 'mallory-tenant' },
    { 'inference.platform.io/namespace': 'tenant-x' },
    USER_REPO,
    ['user:default/mallory'],
  ),
  // Broken tenant groups in the trusted org file: skipped, the others keep working.
  tenantGroup(
    { namespace: 'default', name: 'tenant-bad' },
    { 'inference.platform.io/namespace': 'Not_A_DNS_Label' },
    ORG_FILE,
    ['user:default/dev-a', 'user:default/dev-b'],
  ),
  tenantGroup(
    { namespace: 'default', name: 'tenant-mars' },
    {
      'inference.platform.io/namespace': 'tenant-m',
      'inference.platform.io/cluster': 'mars',
    },
    ORG_FILE,
    ['user:default/dev-a', 'user:default/dev-b'],
  ),
];
const ENTITIES = [...repositoryCatalog, ...EXTRA_ENTITIES];

/** A user's ownership claims as sign-in resolves them: the user and every group listing them. */
function claimsOf(userRef: string): string[] {
  return [
    userRef,
    ...ENTITIES.filter(
      e =>
        e.kind === 'Group' &&
        (e.relations ?? []).some(
          r => r.type === 'hasMember' && r.targetRef === userRef,
        ),
    ).map(e => `group:${e.metadata.namespace}/${e.metadata.name}`),
  ];
}

/**
 * The plugin's permission integration, and a permissions service that decides like the portal's
 * policy and resolves the tenant condition through it (resources from the plugin's getResources,
 * the plugin's own rule).
 */
function permissionFeatures() {
  let resourceType:
    | PermissionsRegistryServiceAddResourceTypeOptions<string, any, any>
    | undefined;
  const registry = mockServices.permissionsRegistry.mock({
    addResourceType: options => {
      resourceType = options as typeof resourceType;
    },
  });
  const permissions = createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      async authorize(requests, { credentials }) {
        const principal = credentials.principal as { userEntityRef?: string };
        const claims = principal.userEntityRef
          ? claimsOf(principal.userEntityRef)
          : [];
        return Promise.all(
          requests.map(async (r): Promise<{ result: any }> => {
            if (claims.includes('group:default/platform-admins')) {
              return { result: AuthorizeResult.ALLOW };
            }
            const resourceRef = (r as { resourceRef?: string }).resourceRef;
            if (!resourceRef || !resourceType?.getResources) {
              return { result: AuthorizeResult.DENY };
            }
            const [resource] = await resourceType.getResources([resourceRef]);
            const rule = resourceType.rules.find(
              x => x.name === 'IS_IN_USER_TENANTS',
            )!;
            return {
              result:
                resource && rule.apply(resource, { claims })
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            };
          }),
        );
      },
      // As the portal's policy answers a model permission without a resource (InferencePortalPolicy):
      // ALLOW for platform admins, else the plugin's tenant condition with the user's claims, which
      // the plugin resolves itself against its tenant directory.
      async authorizeConditional(queries, { credentials }) {
        const principal = credentials.principal as { userEntityRef?: string };
        const claims = principal.userEntityRef
          ? claimsOf(principal.userEntityRef)
          : [];
        return queries.map(({ permission }): PolicyDecision => {
          if (claims.includes('group:default/platform-admins')) {
            return { result: AuthorizeResult.ALLOW };
          }
          return createInferenceModelConditionalDecision(
            permission as Parameters<
              typeof createInferenceModelConditionalDecision
            >[0],
            inferenceModelConditions.isInUserTenants({ claims }),
          );
        });
      },
    }),
  });
  return [registry.factory, permissions];
}

async function start(config?: Record<string, unknown>) {
  const backend = await startPluginBackend({
    entities: EXTRA_ENTITIES,
    features: permissionFeatures(),
    config,
  });
  const created = await fetch(`${backend.sandbox.url}/api/v1/namespaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'tenant-x' },
    }),
  });
  if (!created.ok) throw new Error(`namespace tenant-x: ${created.status}`);
  return backend;
}

const IRIS = '/models/local/tenant-a/iris';
const PUBLISH = apiKeyPublishRequest('iris');
const names = (body: { items: { name?: string; model?: string }[] }) =>
  body.items.map(i => i.name ?? i.model);

describe('tenant trust (trusted: catalog/org.yaml only, the default)', () => {
  let backend: InferenceTestBackend;
  beforeAll(async () => {
    backend = await start();
    await apiAs(backend, 'dev-a').createReadyModel('tenant-a', irisSpec());
    const published = await apiAs(backend, 'dev-a').put(
      `${IRIS}/publication`,
      PUBLISH,
    );
    if (published.status !== 200)
      throw new Error(`publish: ${JSON.stringify(published.body)}`);
  });
  afterAll(() => backend?.stop());

  it('grants a member of a forged tenant-a group nothing on tenant-a', async () => {
    const mallory = apiAs(backend, 'mallory');
    expect(claimsOf('user:default/mallory')).toContain(
      'group:mallory/tenant-a',
    );
    expect((await mallory.get(IRIS)).status).toBe(403);
    expect(
      (await mallory.put(`${IRIS}/publication?dryRun=true`, PUBLISH)).status,
    ).toBe(403);
    expect((await mallory.get(`${IRIS}/publication/keys`)).status).toBe(403);
    expect(
      (await mallory.post(`${IRIS}/publication/keys`, { name: 'stolen' }))
        .status,
    ).toBe(403);
    for (const path of ['/tenants', '/models', '/publications']) {
      const listed = await mallory.get(path);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toEqual([]);
    }
  });

  it('grants nothing in a namespace an untrusted group claims that no tenant owns', async () => {
    const created = await apiAs(backend, 'mallory').post('/models', {
      namespace: 'tenant-x',
      spec: irisSpec('x'),
    });
    expect(created.status).toBe(403);
    expect(storedObjects(backend, 'inferenceService', 'tenant-x')).toEqual([]);
  });

  it('keeps dev-a on tenant-a: the forged claim is no conflict', async () => {
    const devA = apiAs(backend, 'dev-a');
    const tenants = await devA.get('/tenants');
    expect(tenants.status).toBe(200);
    expect(
      tenants.body.items.map((t: { ref: string; name: string }) => [
        t.ref,
        t.name,
      ]),
    ).toEqual([['group:default/tenant-a', 'tenant-a']]);
    const models = await devA.get('/models');
    expect(models.status).toBe(200);
    expect(names(models.body)).toEqual(['iris']);
    expect(
      (await devA.put(`${IRIS}/publication?dryRun=true`, PUBLISH)).status,
    ).toBe(200);
    expect((await devA.get(`${IRIS}/publication/keys`)).status).toBe(200);
  });

  it('skips broken tenant groups: /tenants, /models and /publications keep working for everyone', async () => {
    for (const user of ['dev-a', 'dev-b', 'platform-admin']) {
      for (const path of ['/tenants', '/models', '/publications']) {
        const response = await apiAs(backend, user).get(path);
        expect([user, path, response.status]).toEqual([user, path, 200]);
      }
    }
    const admin = apiAs(backend, 'platform-admin');
    expect(names((await admin.get('/tenants')).body)).toEqual([
      'tenant-a',
      'tenant-b',
      'tenant-c',
    ]);
    expect(names((await admin.get('/models')).body)).toEqual(['iris']);
    expect(names((await admin.get('/publications')).body)).toEqual(['iris']);
  });
});

describe('tenant trust when the forged location is trusted too (control)', () => {
  let backend: InferenceTestBackend;
  beforeAll(async () => {
    backend = await start({
      tenants: { trustedLocations: [ORG_FILE, USER_REPO] },
    });
  });
  afterAll(() => backend?.stop());

  it('refuses tenant-a to both claimants (fail closed), and gives the unclaimed namespace to its group', async () => {
    for (const user of ['dev-a', 'mallory']) {
      const api = apiAs(backend, user);
      expect((await api.get(IRIS)).status).toBe(403);
      expect(names((await api.get('/tenants')).body)).not.toContain('tenant-a');
    }
    expect(
      names((await apiAs(backend, 'mallory').get('/tenants')).body),
    ).toEqual(['mallory-tenant']);
  });
});

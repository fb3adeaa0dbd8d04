// GET /publications lists each publication kind once per cluster (Secrets once per readable
// tenant: the portal may not list them cluster-wide), and answers exactly what one list per
// tenant namespace answered before.
import { ConfigReader } from '@backstage/config';
import {
  inferenceModelReadPermission,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterClient,
  ClusterRegistry,
  createClusterRegistry,
  groupByModel,
  listPublicationObjects,
  PUBLICATION_KINDS,
  readClusterConfig,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  startPluginBackend,
} from '../__testUtils__';
import { readInferenceConfig } from '../config';
import type { ModelAccess } from '../permissions/ModelAccess';
import type { CallContext } from '../requestContext';
import {
  readCurrentPublication,
  summarizePublication,
} from './currentPublication';
import { createPublicationService } from './PublicationService';

jest.setTimeout(60_000);

const TENANTS: Tenant[] = ['tenant-a', 'tenant-b', 'tenant-c'].map(name => ({
  ref: `group:default/${name}`,
  name,
  cluster: 'local',
  namespace: name,
  members: [],
}));
const iris = { framework: 'sklearn', storageUri: 'gs://b/iris' };
const publish = (name: string) => apiKeyPublishRequest(name);

interface ListCall {
  kind: string;
  namespace?: string;
}

/** A registry whose clients record every list call. */
function countingRegistry(inner: ClusterRegistry, calls: ListCall[]) {
  return {
    ...inner,
    get(name: string): ClusterClient {
      const client = inner.get(name);
      return {
        ...client,
        name: client.name,
        get: ref => client.get(ref),
        apply: (o, opts) => client.apply(o, opts),
        delete: (ref, opts) => client.delete(ref, opts),
        apiGroups: () => client.apiGroups(),
        list(apiVersion, kind, options) {
          calls.push({ kind, namespace: options?.namespace });
          return client.list(apiVersion, kind, options);
        },
      } as ClusterClient;
    },
  } as ClusterRegistry;
}

describe('listing publications', () => {
  let backend: InferenceTestBackend;
  let registry: ClusterRegistry;
  const ctx = { credentials: {}, request: {} } as unknown as CallContext;

  /** The service with a caller who may read `readable`, counting list calls into `calls`. */
  const serviceFor = (readable: Tenant[], calls: ListCall[]) =>
    createPublicationService({
      config: readInferenceConfig(new ConfigReader({})),
      clusters: countingRegistry(registry, calls),
      tenants: { list: async () => TENANTS } as any,
      access: {
        tenantsAllowed: async (_c: unknown, permission: unknown) => {
          expect(permission).toBe(inferenceModelReadPermission);
          return readable;
        },
      } as unknown as ModelAccess,
      engine: {} as any,
    });

  /** What the former implementation answered: one list per kind per tenant namespace. */
  async function perTenantReference(readable: Tenant[]) {
    const perTenant = await Promise.all(
      readable.map(async tenant => {
        const objects = await listPublicationObjects(
          registry.get(tenant.cluster),
          tenant.namespace,
          { tenant: tenant.name },
        );
        return [...groupByModel(objects)].flatMap(([model, ofModel]) => {
          const summary = summarizePublication(
            tenant,
            model,
            readCurrentPublication(ofModel),
          );
          return summary ? [summary] : [];
        });
      }),
    );
    return perTenant
      .flat()
      .sort(
        (a, b) =>
          a.namespace.localeCompare(b.namespace) ||
          a.model.localeCompare(b.model),
      );
  }

  beforeAll(async () => {
    backend = await startPluginBackend();
    registry = createClusterRegistry(
      readClusterConfig(
        new ConfigReader({
          inference: {
            clusters: [
              {
                name: 'local',
                url: backend.sandbox.url,
                serviceAccountToken: 'test',
                skipTLSVerify: true,
              },
            ],
          },
        }),
      ),
    );
    const devA = apiAs(backend, 'dev-a');
    const devB = apiAs(backend, 'dev-b');
    for (const [api, ns, name] of [
      [devA, 'tenant-a', 'iris-a1'],
      [devA, 'tenant-a', 'iris-a2'],
      [devB, 'tenant-b', 'iris-b1'],
    ] as const) {
      await api.createReadyModel(ns, { ...iris, name });
      const res = await api.put(
        `/models/local/${ns}/${name}/publication`,
        publish(name),
      );
      if (res.status !== 200) throw new Error(`publish ${name}: ${res.status}`);
      if (name !== 'iris-a2') {
        const key = await api.post(
          `/models/local/${ns}/${name}/publication/keys`,
          { name: 'ci' },
        );
        if (key.status !== 201) throw new Error(`key ${name}: ${key.status}`);
      }
    }
  });
  afterEach(() => backend.sandbox.faults.clear());
  afterAll(() => backend?.stop());

  it('lists each kind once per cluster, Secrets once per readable tenant', async () => {
    const calls: ListCall[] = [];
    const items = await serviceFor(TENANTS, calls).list(ctx);
    expect(items.map(i => `${i.namespace}/${i.model}`)).toEqual([
      'tenant-a/iris-a1',
      'tenant-a/iris-a2',
      'tenant-b/iris-b1',
    ]);
    const clusterWide = PUBLICATION_KINDS.filter(k => k.kind !== 'Secret').map(
      k => ({ kind: k.kind, namespace: undefined }),
    );
    const secrets = TENANTS.map(t => ({
      kind: 'Secret',
      namespace: t.namespace,
    }));
    const byKey = (a: ListCall, b: ListCall) =>
      `${a.kind}/${a.namespace}`.localeCompare(`${b.kind}/${b.namespace}`);
    expect([...calls].sort(byKey)).toEqual(
      [...clusterWide, ...secrets].sort(byKey),
    );
    // 7 + 3 calls where one list per kind per tenant took 8 x 3.
    expect(calls).toHaveLength(10);
  });

  it('answers what one list per tenant answered, for every set of readable tenants', async () => {
    for (const readable of [
      TENANTS,
      [TENANTS[0]],
      [TENANTS[1]],
      [TENANTS[2]],
      [TENANTS[1], TENANTS[2]],
    ]) {
      const items = await serviceFor(readable, []).list(ctx);
      expect(items).toEqual(await perTenantReference(readable));
    }
    const first = await serviceFor([TENANTS[0]], []).list(ctx);
    expect(first.map(i => i.model)).toEqual(['iris-a1', 'iris-a2']);
    expect(first[0].apiKeys).toHaveLength(1);
  });

  it('never lists anything for a caller who may read no tenant', async () => {
    const calls: ListCall[] = [];
    expect(await serviceFor([], calls).list(ctx)).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('matches the HTTP answer of GET /publications', async () => {
    const res = await apiAs(backend, 'platform-admin').get('/publications');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(
      JSON.parse(JSON.stringify(await serviceFor(TENANTS, []).list(ctx))),
    );
  });

  it('falls back to one list per tenant for a kind the cluster forbids listing cluster-wide', async () => {
    backend.sandbox.faults.add({
      method: 'GET',
      path: '/apis/gateway.envoyproxy.io/v1alpha1/securitypolicies',
      status: 403,
    });
    const calls: ListCall[] = [];
    const service = serviceFor(TENANTS, calls);
    const items = await service.list(ctx);
    expect(items).toEqual(await perTenantReference(TENANTS));
    const securityPolicyLists = () =>
      calls.filter(c => c.kind === 'SecurityPolicy').map(c => c.namespace);
    expect(securityPolicyLists()).toEqual([
      undefined,
      'tenant-a',
      'tenant-b',
      'tenant-c',
    ]);
    // The refusal is remembered: the next list asks per tenant only.
    calls.length = 0;
    expect(await service.list(ctx)).toEqual(items);
    expect(securityPolicyLists()).toEqual(['tenant-a', 'tenant-b', 'tenant-c']);
  });
});

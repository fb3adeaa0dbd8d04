import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import type { KubernetesObjectsProvider } from '@backstage/plugin-kubernetes-node';
import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import {
  ReadScope,
  restrict,
  TenantScopedObjectsProvider,
} from './TenantScopedObjectsProvider';

const model = (namespace?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'sklearn-iris',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'sklearn-iris',
      ...(namespace && { 'backstage.io/kubernetes-namespace': namespace }),
    },
  },
});

const pod = (namespace: string | undefined, name = `pod-${namespace}`) => ({
  metadata: { name, ...(namespace && { namespace }) },
  spec: { containers: [{ name: 'kserve', env: [{ name: 'S', value: 'x' }] }] },
});

/** What the inner provider answers: pods of several namespaces and clusters, with metrics. */
const answer = (): ObjectsByEntityResponse => ({
  items: ['local', 'other'].map(cluster => ({
    cluster: { name: cluster },
    resources: [
      {
        type: 'pods',
        resources: [pod('tenant-a'), pod('tenant-b'), pod(undefined, 'x')],
      },
      { type: 'customresources', resources: [pod('tenant-a', 'isvc')] },
    ],
    podMetrics: [pod('tenant-a'), pod('tenant-b')].map(p => ({
      pod: p,
      cpu: { currentUsage: 0, requestTotal: 0, limitTotal: 0 },
      memory: { currentUsage: 0, requestTotal: 0, limitTotal: 0 },
      containers: [],
    })),
    errors: [],
  })),
});

const ALL: ReadScope = { all: true };
const tenants = (...keys: string[]): ReadScope => ({
  all: false,
  namespaces: new Set(keys),
});

function setup(scope: ReadScope) {
  const inner = {
    getKubernetesObjectsByEntity: jest.fn(async () => answer()),
    getCustomResourcesByEntity: jest.fn(async () => answer()),
  } satisfies KubernetesObjectsProvider;
  const scopeOf = jest.fn(async () => scope);
  return {
    inner,
    scopeOf,
    provider: new TenantScopedObjectsProvider(inner, scopeOf),
  };
}

const credentials = mockCredentials.user('user:default/someone');

/** `cluster/namespace/name` of every object and pod metric in a response. */
const objectsOf = (response: ObjectsByEntityResponse) =>
  response.items.flatMap(item => [
    ...item.resources.flatMap(r =>
      (r.resources as Array<ReturnType<typeof pod>>).map(
        o =>
          `${item.cluster.name}/${r.type}/${o.metadata.namespace}/${o.metadata.name}`,
      ),
    ),
    ...item.podMetrics.map(
      m => `${item.cluster.name}/metrics/${m.pod.metadata?.namespace}`,
    ),
  ]);

describe.each([
  ['getKubernetesObjectsByEntity', {}],
  [
    'getCustomResourcesByEntity',
    {
      customResources: [
        {
          group: 'serving.kserve.io',
          apiVersion: 'v1beta1',
          plural: 'inferenceservices',
        },
      ],
    },
  ],
] as const)('TenantScopedObjectsProvider.%s', (method, extra) => {
  const read = (provider: KubernetesObjectsProvider, entity: Entity) =>
    provider[method](
      {
        entity,
        auth: {},
        customResources:
          'customResources' in extra ? [...extra.customResources] : [],
      },
      { credentials },
    );

  it('refuses a member of tenant-b a tenant-a model without asking the cluster', async () => {
    const { provider, inner, scopeOf } = setup(tenants('local/tenant-b'));
    await expect(read(provider, model('tenant-a'))).rejects.toThrow(
      NotAllowedError,
    );
    expect(scopeOf).toHaveBeenCalledWith(credentials);
    expect(inner[method]).not.toHaveBeenCalled();
  });

  it('refuses a caller in no tenant', async () => {
    const { provider, inner } = setup(tenants());
    await expect(read(provider, model('tenant-a'))).rejects.toThrow(
      /does not belong to one of your tenants/,
    );
    expect(inner[method]).not.toHaveBeenCalled();
  });

  it('refuses a tenant member an entity without a namespace (a read of every namespace)', async () => {
    const { provider, inner } = setup(tenants('local/tenant-a'));
    await expect(read(provider, model(undefined))).rejects.toThrow(
      /without the backstage.io\/kubernetes-namespace annotation/,
    );
    expect(inner[method]).not.toHaveBeenCalled();
  });

  it("serves a member of tenant-a the model's objects in tenant-a of the tenant's cluster only", async () => {
    const { provider, inner } = setup(tenants('local/tenant-a'));
    const request = { entity: model('tenant-a'), auth: {} };
    const response = await read(provider, request.entity);
    expect(inner[method]).toHaveBeenCalledWith(
      expect.objectContaining(request),
      { credentials },
    );
    expect(objectsOf(response)).toEqual([
      'local/pods/tenant-a/pod-tenant-a',
      'local/customresources/tenant-a/isvc',
      'local/metrics/tenant-a',
    ]);
    expect(response.items.map(i => i.cluster.name)).toEqual(['local', 'other']);
  });

  it('serves a platform admin everything, unchanged, also without a namespace', async () => {
    const { provider, inner } = setup(ALL);
    const response = await read(provider, model(undefined));
    expect(inner[method]).toHaveBeenCalled();
    expect(response).toEqual(answer());
    expect(objectsOf(response)).toContain('other/pods/tenant-b/pod-tenant-b');
  });

  it('fails when the scope cannot be read, without asking the cluster', async () => {
    const { provider, inner, scopeOf } = setup(ALL);
    scopeOf.mockRejectedValueOnce(new Error('catalog down'));
    await expect(read(provider, model('tenant-a'))).rejects.toThrow(
      'catalog down',
    );
    expect(inner[method]).not.toHaveBeenCalled();
  });
});

describe('restrict', () => {
  it('keeps the objects of every tenant namespace of the caller, per cluster', () => {
    expect(
      objectsOf(
        restrict(answer(), tenants('local/tenant-a', 'other/tenant-b')),
      ),
    ).toEqual([
      'local/pods/tenant-a/pod-tenant-a',
      'local/customresources/tenant-a/isvc',
      'local/metrics/tenant-a',
      'other/pods/tenant-b/pod-tenant-b',
      'other/metrics/tenant-b',
    ]);
  });
});

// The real Kubernetes backend plugin with tenantScopedObjectsModule, the real permission framework
// with the portal's policy, tenants and memberships from the repository's catalog files, and a
// Kubernetes sandbox as the cluster holding one model pod in tenant-a and one in tenant-b.
import { mockCredentials } from '@backstage/backend-test-utils';
import { InferenceTestBackend } from '@internal/inference-test-utils';
import request from 'supertest';
import { authHeader, Caller } from '../permissions/__testUtils__/testServices';
import { startPortalKubernetesBackend } from './__testUtils__/portalKubernetesBackend';

jest.setTimeout(120_000);

/**
 * A model's pod, labelled as the Kubernetes plugin selects it (the catalog's label selector, and
 * the kubernetes-id of an entity without one), with a recognisable env var.
 */
const modelPod = (namespace: string, model: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `${model}-predictor`,
    namespace,
    labels: {
      'inference.platform.io/model': model,
      'backstage.io/kubernetes-id': model,
    },
  },
  spec: {
    containers: [
      {
        name: 'kserve-container',
        image: 'kserve/sklearnserver:v0.14.0',
        env: [{ name: 'PROBE', value: `env-of-${namespace}` }],
      },
    ],
  },
});

const TENANT_A_MODEL = 'component:default/sklearn-iris';
const TENANT_B_MODEL = 'component:default/huggingface-t5';

describe('Kubernetes object reads limited to the caller’s tenants', () => {
  let backend: InferenceTestBackend;

  beforeAll(async () => {
    backend = await startPortalKubernetesBackend({
      kubernetes: { objectTypes: ['pods', 'services'] },
    });
    for (const [namespace, model] of [
      ['tenant-a', 'sklearn-iris'],
      ['tenant-b', 'huggingface-t5'],
    ]) {
      const response = await fetch(
        `${backend.sandbox.url}/api/v1/namespaces/${namespace}/pods`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(modelPod(namespace, model)),
        },
      );
      if (response.status !== 201) {
        throw new Error(
          `creating a pod in ${namespace}: ${
            response.status
          } ${await response.text()}`,
        );
      }
    }
  });
  afterAll(() => backend?.stop());

  const ROUTES = {
    workloads: (entityRef: string) => ({
      path: '/api/kubernetes/resources/workloads/query',
      body: { entityRef },
    }),
    custom: (entityRef: string) => ({
      path: '/api/kubernetes/resources/custom/query',
      body: {
        entityRef,
        customResources: [{ group: '', apiVersion: 'v1', plural: 'pods' }],
      },
    }),
    services: (entityRef: string) => {
      const [, name] = entityRef.split('/');
      return {
        path: `/api/kubernetes/services/${name}`,
        body: {
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name, namespace: 'default' },
          },
        },
      };
    },
  };
  type RouteName = keyof typeof ROUTES;
  const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

  const read = (caller: Caller, route: RouteName, entityRef: string) => {
    const { path, body } = ROUTES[route](entityRef);
    return request(backend.server)
      .post(path)
      .set('Authorization', authHeader(caller))
      .send(body);
  };

  /** `namespace/name PROBE=value` of every pod in a response. */
  const podsIn = (body: {
    items: Array<{
      resources: Array<{ resources: Array<ReturnType<typeof modelPod>> }>;
    }>;
  }) =>
    body.items.flatMap(item =>
      item.resources.flatMap(r =>
        r.resources.map(
          pod =>
            `${pod.metadata.namespace}/${pod.metadata.name} PROBE=${pod.spec.containers[0].env[0].value}`,
        ),
      ),
    );

  describe.each(ROUTE_NAMES)('%s', route => {
    it.each(['dev-a', 'platform-admin'] as const)(
      "serves %s tenant-a's model objects",
      async caller => {
        const response = await read(caller, route, TENANT_A_MODEL);
        expect(response.status).toBe(200);
        expect(podsIn(response.body)).toEqual([
          'tenant-a/sklearn-iris-predictor PROBE=env-of-tenant-a',
        ]);
      },
    );

    it("refuses dev-b tenant-a's model objects", async () => {
      const response = await read('dev-b', route, TENANT_A_MODEL);
      expect(response.status).toBe(403);
      expect(response.body.error.message).toMatch(
        /namespace 'tenant-a' does not belong to one of your tenants/,
      );
      expect(JSON.stringify(response.body)).not.toContain('env-of-tenant-a');
    });

    it("serves dev-b tenant-b's model objects (the policy lets dev-b through)", async () => {
      const response = await read('dev-b', route, TENANT_B_MODEL);
      expect(response.status).toBe(200);
      expect(podsIn(response.body)).toEqual([
        'tenant-b/huggingface-t5-predictor PROBE=env-of-tenant-b',
      ]);
    });

    it('refuses visitor (the policy) and the unauthenticated caller', async () => {
      const visitor = await read('visitor', route, TENANT_A_MODEL);
      expect(visitor.status).toBe(403);
      expect(JSON.stringify(visitor.body)).not.toMatch(
        /does not belong to one of your tenants/,
      );
      expect((await read('anonymous', route, TENANT_A_MODEL)).status).toBe(401);
    });
  });

  it("serves the portal's own backend plugins (service credentials) any tenant", async () => {
    const response = await request(backend.server)
      .post('/api/kubernetes/resources/workloads/query')
      .set('Authorization', mockCredentials.service.header())
      .send({ entityRef: TENANT_A_MODEL });
    expect(response.status).toBe(200);
    expect(podsIn(response.body)).toEqual([
      'tenant-a/sklearn-iris-predictor PROBE=env-of-tenant-a',
    ]);
  });
});

import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { InferenceTestBackend } from './__testUtils__';
import {
  irisSpec,
  startPluginBackend,
  storedObject,
  storedObjects,
} from './__testUtils__';

jest.setTimeout(60_000);

const asDevA = mockCredentials.user.header('user:default/dev-a');
const iris = irisSpec('iris-test');

describe('inference plugin against the sandbox', () => {
  let backend: InferenceTestBackend;
  beforeAll(async () => {
    backend = await startPluginBackend();
  });
  afterAll(() => backend?.stop());

  it('lists tenants joined with their namespaces, and models as [] when there are none', async () => {
    const tenants = await request(backend.server)
      .get('/api/inference/tenants')
      .set('Authorization', asDevA);
    expect(tenants.status).toBe(200);
    expect(
      tenants.body.items.map((t: { name: string; namespaceState: string }) => [
        t.name,
        t.namespaceState,
      ]),
    ).toEqual([
      ['tenant-a', 'Active'],
      ['tenant-b', 'Active'],
      ['tenant-c', 'Active'],
    ]);
    const models = await request(backend.server)
      .get('/api/inference/models')
      .set('Authorization', asDevA);
    expect(models.status).toBe(200);
    expect(models.body).toEqual({ items: [] });
  });

  it('creates a model that becomes Ready, previews an update, and deletes it', async () => {
    const dryRun = await request(backend.server)
      .post('/api/inference/models?dryRun=true')
      .set('Authorization', asDevA)
      .send({ namespace: 'tenant-a', spec: iris });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.changes).toEqual([
      expect.objectContaining({
        action: 'create',
        kind: 'InferenceService',
        name: 'iris-test',
      }),
    ]);
    expect(storedObjects(backend, 'inferenceService', 'tenant-a')).toEqual([]);

    const created = await request(backend.server)
      .post('/api/inference/models')
      .set('Authorization', asDevA)
      .send({ namespace: 'tenant-a', spec: iris });
    expect(created.status).toBe(201);
    expect(created.body.manifest.spec.predictor.model.modelFormat.name).toBe(
      'sklearn',
    );

    const again = await request(backend.server)
      .post('/api/inference/models')
      .set('Authorization', asDevA)
      .send({ namespace: 'tenant-a', spec: iris });
    expect(again.status).toBe(409);

    let model: request.Response | undefined;
    for (let i = 0; i < 50; i++) {
      model = await request(backend.server)
        .get('/api/inference/models/local/tenant-a/iris-test')
        .set('Authorization', asDevA);
      if (model.body.status?.ready) break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(model?.status).toBe(200);
    expect(model?.body).toMatchObject({
      name: 'iris-test',
      tenant: 'tenant-a',
      modelType: 'predictive',
      published: false,
      status: { ready: true },
    });
    expect(model?.body.status.url).toEqual(
      expect.stringContaining('iris-test'),
    );

    const preview = await request(backend.server)
      .put('/api/inference/models/local/tenant-a/iris-test?dryRun=true')
      .set('Authorization', asDevA)
      .send({ ...iris, maxReplicas: 5 });
    expect(preview.status).toBe(200);
    expect(preview.body.changes[0].action).toBe('update');
    expect(preview.body.changes[0].fieldChanges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'spec.predictor.maxReplicas',
          after: 5,
        }),
      ]),
    );
    const stored = storedObject(
      backend,
      'inferenceService',
      'tenant-a',
      'iris-test',
    ) as unknown as { spec: { predictor: { maxReplicas: number } } };
    expect(stored.spec.predictor.maxReplicas).toBe(3);

    const list = await request(backend.server)
      .get('/api/inference/models')
      .set('Authorization', asDevA);
    expect(list.body.items.map((m: { name: string }) => m.name)).toEqual([
      'iris-test',
    ]);

    const deleted = await request(backend.server)
      .delete('/api/inference/models/local/tenant-a/iris-test')
      .set('Authorization', asDevA);
    expect(deleted.status).toBe(204);
    expect(storedObjects(backend, 'inferenceService', 'tenant-a')).toEqual([]);

    const history = backend.sandbox.store.list('v1', 'Secret', 'tenant-a');
    expect(history).toEqual([]);
  });

  it('rejects a bad model with a 400 naming each field, and changes nothing', async () => {
    const response = await request(backend.server)
      .post('/api/inference/models')
      .set('Authorization', asDevA)
      .send({
        namespace: 'tenant-a',
        spec: {
          ...iris,
          name: 'Bad_Name',
          storageUri: 'file:///etc/passwd',
          extra: 1,
        },
      });
    expect(response.status).toBe(400);
    expect(
      response.body.error.fields.map((f: { field: string }) => f.field).sort(),
    ).toEqual(['spec.extra', 'spec.name', 'spec.storageUri']);
    expect(storedObjects(backend, 'inferenceService', 'tenant-a')).toEqual([]);
  });

  it('answers 503 saying the cluster is unreachable when it is', async () => {
    backend.sandbox.faults.add({
      path: /inferenceservices/,
      drop: true,
      times: 10,
    });
    try {
      const response = await request(backend.server)
        .get('/api/inference/models')
        .set('Authorization', asDevA);
      expect(response.status).toBe(503);
      expect(response.body.error.message).toMatch(
        /cluster 'local' is unreachable/,
      );
    } finally {
      backend.sandbox.faults.clear();
    }
  });

  it('gives admins an overview of installed APIs, the Gateway and counts per tenant', async () => {
    const response = await request(backend.server)
      .get('/api/inference/platform')
      .set('Authorization', asDevA);
    expect(response.status).toBe(200);
    const [cluster] = response.body.clusters;
    expect(cluster).toMatchObject({
      cluster: 'local',
      reachable: true,
      gateway: { name: 'ai-inference-gateway', found: true },
    });
    expect(cluster.apiGroups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          group: 'serving.kserve.io',
          installed: true,
          versions: expect.arrayContaining(['v1beta1']),
        }),
        expect.objectContaining({
          group: 'aigateway.envoyproxy.io',
          installed: true,
        }),
      ]),
    );
    expect(cluster.tenants.map((t: { tenant: string }) => t.tenant)).toEqual([
      'tenant-a',
      'tenant-b',
      'tenant-c',
    ]);
  });

  it('says when the platform Gateway is missing from a cluster', async () => {
    const gatewayUrl = `${backend.sandbox.url}/apis/gateway.networking.k8s.io/v1/namespaces/envoy-gateway-system/gateways/ai-inference-gateway`;
    const gateway = await (await fetch(gatewayUrl)).json();
    expect((await fetch(gatewayUrl, { method: 'DELETE' })).status).toBe(200);
    try {
      const response = await request(backend.server)
        .get('/api/inference/platform')
        .set('Authorization', asDevA);
      expect(response.body.clusters[0].gateway).toEqual({
        name: 'ai-inference-gateway',
        namespace: 'envoy-gateway-system',
        found: false,
        conditions: [],
      });
    } finally {
      const { resourceVersion, uid, ...metadata } = gateway.metadata;
      await fetch(gatewayUrl.replace(/\/ai-inference-gateway$/, ''), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...gateway, metadata }),
      });
    }
  });

  it('refuses unauthenticated callers', async () => {
    const response = await request(backend.server)
      .get('/api/inference/models')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });
});

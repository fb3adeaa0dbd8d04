// The model page's Kubernetes tab as the frontend asks for it: the real Kubernetes backend plugin
// with the portal's configuration (custom resources from app-config.yaml) and permission policy,
// the inference plugin creating and publishing a model, and the Kubernetes sandbox as the cluster.
// A Ready model shows its Pods, workloads and publication objects, and no errors.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import inferencePlugin from '@internal/backstage-plugin-inference-backend';
import {
  apiAs,
  apiKeyPublishRequest,
  InferenceTestBackend,
  irisSpec,
  loadCatalogEntities,
} from '@internal/inference-test-utils';
import request from 'supertest';
import { parse } from 'yaml';
import { authHeader } from '../permissions/__testUtils__/testServices';
import { startPortalKubernetesBackend } from './__testUtils__/portalKubernetesBackend';

jest.setTimeout(120_000);

/** The development app-config's `kubernetes.customResources`: what the tab shows in the portal. */
const CUSTOM_RESOURCES = parse(
  readFileSync(resolve(__dirname, '../../../../app-config.yaml'), 'utf8'),
).kubernetes.customResources;

interface FetchResponse {
  type: string;
  resources: Array<{
    kind: string;
    metadata: { name: string; labels?: Record<string, string> };
    status?: { phase?: string };
  }>;
}

describe("a model's Kubernetes tab", () => {
  let backend: InferenceTestBackend;
  const iris = loadCatalogEntities(['models.yaml']).find(
    e => e.metadata.name === 'sklearn-iris',
  ) as Entity;

  beforeAll(async () => {
    backend = await startPortalKubernetesBackend({
      features: [inferencePlugin],
      kubernetes: { customResources: CUSTOM_RESOURCES },
    });
    const devA = apiAs(backend, 'dev-a');
    await devA.createReadyModel('tenant-a', irisSpec('sklearn-iris'));
    await devA.publish(
      'tenant-a',
      'sklearn-iris',
      apiKeyPublishRequest('sklearn-iris'),
    );
  });
  afterAll(() => backend?.stop());

  it('shows a Ready model with its Pods, workloads and publication objects, and no errors', async () => {
    const response = await request(backend.server)
      .post('/api/kubernetes/services/sklearn-iris')
      .set('Authorization', authHeader('dev-a'))
      .send({ entity: iris });
    expect(response.status).toBe(200);
    const [cluster, ...others] = response.body.items;
    expect(others).toEqual([]);
    expect(cluster.errors).toEqual([]);

    const byType = new Map<string, FetchResponse['resources']>(
      (cluster.resources as FetchResponse[]).map(r => [r.type, r.resources]),
    );
    const names = (type: string) =>
      (byType.get(type) ?? []).map(o => o.metadata.name);
    const pods = byType.get('pods') ?? [];
    expect(pods.length).toBeGreaterThanOrEqual(1);
    for (const pod of pods) {
      expect(pod.metadata.labels).toMatchObject({
        'inference.platform.io/model': 'sklearn-iris',
        'serving.kserve.io/inferenceservice': 'sklearn-iris',
      });
      expect(pod.status?.phase).toBe('Running');
    }
    expect(names('deployments')).toEqual(['sklearn-iris-predictor']);
    expect(names('replicasets')).toHaveLength(1);

    const custom = (cluster.resources as FetchResponse[])
      .filter(r => r.type === 'customresources')
      .flatMap(r => r.resources.map(o => `${o.kind}/${o.metadata.name}`));
    expect(custom).toEqual(
      expect.arrayContaining([
        'InferenceService/sklearn-iris',
        'HTTPRoute/sklearn-iris',
        'SecurityPolicy/sklearn-iris-auth',
        'BackendTrafficPolicy/sklearn-iris-rate-limits',
      ]),
    );
  });

  it("refuses the tab of tenant-a's model to a tenant-b user", async () => {
    const response = await request(backend.server)
      .post('/api/kubernetes/services/sklearn-iris')
      .set('Authorization', authHeader('dev-b'))
      .send({ entity: iris });
    expect(response.status).toBe(403);
  });
});

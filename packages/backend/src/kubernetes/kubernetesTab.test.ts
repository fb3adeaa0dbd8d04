// The model page's Kubernetes tab as the frontend asks for it: the real Kubernetes backend plugin
// with the portal's configuration (custom resources from app-config.yaml) and permission policy,
// the inference plugin creating and publishing a model, and the Kubernetes sandbox as the cluster.
// A Ready model shows its Pods, workloads and publication objects, and no errors.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import inferencePlugin from '@inference-in-a-box/backstage-plugin-inference-backend';
import {
  apiAs,
  apiKeyPublishRequest,
  InferenceTestBackend,
  irisSpec,
  loadCatalogEntities,
  qwenSpec,
} from '@internal/inference-test-utils';
import request from 'supertest';
import { parse } from 'yaml';
import { authHeader, Caller } from '../permissions/__testUtils__/testServices';
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

/** The tab's answer for a model entity, as the plugin's frontend asks for it. */
async function fetchTab(
  backend: InferenceTestBackend,
  entity: Entity,
  user: Caller,
) {
  return request(backend.server)
    .post(`/api/kubernetes/services/${entity.metadata.name}`)
    .set('Authorization', authHeader(user))
    .send({ entity });
}

/** The one cluster's objects of a 200 answer, by object type; fails on any error. */
function clusterObjects(response: request.Response) {
  expect(response.status).toBe(200);
  const [cluster, ...others] = response.body.items;
  expect(others).toEqual([]);
  expect(cluster.errors).toEqual([]);
  const resources = cluster.resources as FetchResponse[];
  const byType = new Map<string, FetchResponse['resources']>(
    resources.map(r => [r.type, r.resources]),
  );
  return {
    pods: byType.get('pods') ?? [],
    names: (type: string) => (byType.get(type) ?? []).map(o => o.metadata.name),
    custom: resources
      .filter(r => r.type === 'customresources')
      .flatMap(r => r.resources.map(o => `${o.kind}/${o.metadata.name}`)),
  };
}

/** Every Pod carries the portal's model label and KServe's, and runs. */
function expectRunningModelPods(
  pods: FetchResponse['resources'],
  model: string,
) {
  expect(pods.length).toBeGreaterThanOrEqual(1);
  for (const pod of pods) {
    expect(pod.metadata.labels).toMatchObject({
      'inference.platform.io/model': model,
      'serving.kserve.io/inferenceservice': model,
    });
    expect(pod.status?.phase).toBe('Running');
  }
}

describe("a model's Kubernetes tab", () => {
  let backend: InferenceTestBackend;
  const entities = loadCatalogEntities(['models.yaml']);
  const entity = (name: string) =>
    entities.find(e => e.metadata.name === name) as Entity;
  const iris = entity('sklearn-iris');
  const qwen = entity('qwen-chat');

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
    await devA.createReadyModel('tenant-a', qwenSpec('qwen-chat'));
    await devA.publish(
      'tenant-a',
      'qwen-chat',
      apiKeyPublishRequest('qwen-chat'),
    );
    // The AI Gateway controller generates the HTTPRoute after the publish returned (bounded wait).
    for (let waited = 0; waited < 10_000; waited += 50) {
      const generated = backend.sandbox.store.get(
        'gateway.networking.k8s.io/v1',
        'HTTPRoute',
        'tenant-a',
        'qwen-chat',
      );
      if (generated) break;
      await new Promise(done => setTimeout(done, 50));
    }
  });
  afterAll(() => backend?.stop());

  it('shows a Ready model with its Pods, workloads and publication objects, and no errors', async () => {
    const { pods, names, custom } = clusterObjects(
      await fetchTab(backend, iris, 'dev-a'),
    );
    expectRunningModelPods(pods, 'sklearn-iris');
    expect(names('deployments')).toEqual(['sklearn-iris-predictor']);
    expect(names('replicasets')).toHaveLength(1);
    expect(custom).toEqual(
      expect.arrayContaining([
        'InferenceService/sklearn-iris',
        'HTTPRoute/sklearn-iris',
        'SecurityPolicy/sklearn-iris-auth',
        'BackendTrafficPolicy/sklearn-iris-rate-limits',
      ]),
    );
    // Only this model's objects: the other model in the namespace is not listed.
    expect(custom.filter(c => c.includes('qwen-chat'))).toEqual([]);
  });

  it("shows an OpenAI-compatible model's AIGatewayRoute and the HTTPRoute the AI Gateway generates from it", async () => {
    const { pods, names, custom } = clusterObjects(
      await fetchTab(backend, qwen, 'dev-a'),
    );
    expectRunningModelPods(pods, 'qwen-chat');
    expect(names('deployments')).toEqual(['qwen-chat-predictor']);
    expect(custom.sort()).toEqual([
      'AIGatewayRoute/qwen-chat',
      'BackendTrafficPolicy/qwen-chat-rate-limits',
      'HTTPRoute/qwen-chat',
      'InferenceService/qwen-chat',
      'SecurityPolicy/qwen-chat-auth',
    ]);
  });

  it("refuses the tab of tenant-a's model to a tenant-b user", async () => {
    const response = await fetchTab(backend, iris, 'dev-b');
    expect(response.status).toBe(403);
  });
});

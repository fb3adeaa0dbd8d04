// Publications as the real controllers judge them. The sandbox's controllers do what the real ones
// do at the pinned tags (packages/kube-sandbox/README.md): the AI Gateway controller generates an
// HTTPRoute per AIGatewayRoute (labels copied, controller ownerReference), each model gets a
// `<isvc>-predictor` Service (KServe's in Standard mode; in Knative mode Knative's, without selector
// or endpoints, net-istio being in mesh-only mode), and routes get Envoy Gateway's Accepted /
// ResolvedRefs / BackendsAvailable conditions. See docs/architecture.md, "The request path through the gateway".
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  qwenSpec,
  startPluginBackend,
  storedObject,
  storedObjects,
} from '../__testUtils__';

jest.setTimeout(120_000);

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
interface StoredRoute {
  metadata: {
    name: string;
    uid: string;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
  };
  status?: { parents?: { conditions?: Condition[] }[] };
}

/** Each condition type of each parent of a route as `Type=Status`, e.g. `ResolvedRefs=True`. */
const conditionsOf = (route: StoredRoute) =>
  (route.status?.parents ?? []).flatMap(parent =>
    (parent.conditions ?? []).map(c => `${c.type}=${c.status}`),
  );

describe('publications on the real data path', () => {
  let backend: InferenceTestBackend;

  beforeAll(async () => {
    backend = await startPluginBackend();
  });
  afterAll(() => backend?.stop());

  /** Waits until `read` gives a value `done` accepts (the controllers run after a short delay). */
  async function eventually<T>(read: () => T, done: (value: T) => boolean) {
    for (let i = 0; i < 100; i++) {
      const value = read();
      if (done(value)) return value;
      await new Promise(r => setTimeout(r, 100));
    }
    return read();
  }

  const routesIn = (namespace: string) =>
    storedObjects<StoredRoute>(backend, 'httpRoute', namespace);
  const settled = (routes: StoredRoute[]) =>
    routes.length > 0 && routes.every(r => conditionsOf(r).length >= 2);

  it('gets every route of two OpenAI publications of two tenants and of both kinds of predictive model Accepted with its references resolved', async () => {
    const devA = apiAs(backend, 'dev-a');
    const devB = apiAs(backend, 'dev-b');
    await devA.createReadyModel('tenant-a', qwenSpec());
    await devB.createReadyModel('tenant-b', qwenSpec());
    await devA.createReadyModel('tenant-a', {
      ...irisSpec('iris-knative'),
      deploymentMode: 'Knative',
    });
    await devA.createReadyModel('tenant-a', irisSpec('iris-standard'));
    // Every publication with the defaults: the two OpenAI ones even share their public name.
    await devA.publish('tenant-a', 'qwen', apiKeyPublishRequest('chat'));
    await devB.publish('tenant-b', 'qwen', apiKeyPublishRequest('chat'));
    await devA.publish('tenant-a', 'iris-knative');
    await devA.publish('tenant-a', 'iris-standard');

    for (const namespace of ['tenant-a', 'tenant-b']) {
      const routes = await eventually(() => routesIn(namespace), settled);
      expect(
        routes.map(r => [r.metadata.name, conditionsOf(r).sort()]),
      ).toEqual(
        routes.map(r => [
          r.metadata.name,
          ['Accepted=True', 'ResolvedRefs=True'],
        ]),
      );
    }
    // The OpenAI routes are the controller's, generated from the AIGatewayRoutes, one per tenant.
    const generated = [...routesIn('tenant-a'), ...routesIn('tenant-b')].filter(
      r => r.metadata.ownerReferences?.some(o => o.kind === 'AIGatewayRoute'),
    );
    expect(generated.map(r => r.metadata.name)).toEqual(['qwen', 'qwen']);
    expect(
      routesIn('tenant-a')
        .map(r => r.metadata.name)
        .sort(),
    ).toEqual(['iris-knative', 'iris-standard', 'qwen']);
  });

  it('shows the predictive route the portal used to write without endpoints in Knative mode, as Envoy Gateway does', async () => {
    const previous = parse(
      fs.readFileSync(
        path.join(
          __dirname,
          '__fixtures__/gatewayFidelity.previousPredictiveRoute.yaml',
        ),
        'utf8',
      ),
    );
    // Its backendRef is the predictor Service of the Knative model published above.
    previous.spec.rules[0].backendRefs[0].name = 'iris-knative-predictor';
    const created = await fetch(
      `${backend.sandbox.url}/apis/gateway.networking.k8s.io/v1/namespaces/tenant-a/httproutes`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(previous),
      },
    );
    expect(created.status).toBe(201);
    const route = await eventually(
      () =>
        storedObject<StoredRoute>(
          backend,
          'httpRoute',
          'tenant-a',
          'sklearn-iris-previous',
        )!,
      r => conditionsOf(r).some(c => c.startsWith('BackendsAvailable')),
    );
    expect(conditionsOf(route)).toEqual([
      'Accepted=True',
      'ResolvedRefs=True',
      'BackendsAvailable=False',
    ]);
    const unavailable = route.status!.parents![0].conditions!.find(
      c => c.type === 'BackendsAvailable',
    );
    expect(unavailable).toMatchObject({ reason: 'EndpointsNotFound' });
    expect(unavailable!.message).toMatch(
      /no ready endpoints for the related Service tenant-a\/iris-knative-predictor/,
    );
  });

  it('republishes and rotates keys of an OpenAI publication without deleting the HTTPRoute the controller generated', async () => {
    const devA = apiAs(backend, 'dev-a');
    const base = '/models/local/tenant-a/qwen/publication';
    const generatedUid = () =>
      storedObject<StoredRoute>(backend, 'httpRoute', 'tenant-a', 'qwen')!
        .metadata.uid;
    const before = generatedUid();
    backend.sandbox.audit.clear();

    const plan = await devA.put(`${base}?dryRun=true`, {
      ...apiKeyPublishRequest('chat'),
      limits: { requestsPerMinute: 30 },
    });
    expect(plan.status).toBe(200);
    const planned = (plan.body.changes as { action: string; kind: string }[])
      .filter(c => c.action !== 'unchanged')
      .map(c => `${c.action} ${c.kind}`);
    // Only the limit changes; the generated HTTPRoute is not the publication's, so not pruned.
    expect(planned).toEqual(['update BackendTrafficPolicy']);

    const republished = await devA.put(base, {
      ...apiKeyPublishRequest('chat'),
      limits: { requestsPerMinute: 30 },
    });
    expect(republished.status).toBe(200);
    const key = await devA.post(`${base}/keys`, { name: 'ci' });
    const rotated = await devA.post(`${base}/keys/${key.body.id}/rotate`, {
      graceSeconds: 60,
    });
    expect(rotated.status).toBe(201);

    const deletes = backend.sandbox.audit.entries(
      e => e.verb === 'delete' || e.verb === 'deletecollection',
    );
    expect(deletes).toEqual([]);
    expect(generatedUid()).toBe(before);
  });
});

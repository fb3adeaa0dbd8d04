import {
  LABEL_MANAGED_BY,
  MANAGED_BY_PORTAL,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  qwenSpec,
  startPluginBackend,
  storedObject,
} from '../__testUtils__';
import { PUBLICATION_KINDS } from '@inference-in-a-box/backstage-plugin-inference-node';
import { irisIsvc } from './build/publicationInputs.fixtures';

jest.setTimeout(60_000);

/** The sandbox's simulated controllers write status (a new resourceVersion) shortly after a write. */
const controllersSettled = () => new Promise(r => setTimeout(r, 300));

const iris = irisSpec();
const qwen = qwenSpec();
const publishIris = apiKeyPublishRequest('iris', {
  requestsPerMinute: 60,
  requestsPerHour: 3600,
});

describe('publishing against the sandbox', () => {
  let backend: InferenceTestBackend;
  let devA: ReturnType<typeof apiAs>;

  /** Every object in the sandbox carrying the portal's ownership label, as kind/name@resourceVersion. */
  const labelled = () =>
    PUBLICATION_KINDS.flatMap(({ apiVersion, kind }) =>
      backend.sandbox.store
        .list(apiVersion, kind)
        .filter(
          o => o.metadata.labels?.[LABEL_MANAGED_BY] === MANAGED_BY_PORTAL,
        )
        .map(
          o =>
            `${o.kind}/${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`,
        ),
    ).sort();

  beforeAll(async () => {
    backend = await startPluginBackend();
    devA = apiAs(backend, 'dev-a');
    await devA.createReadyModel('tenant-a', iris);
  });
  afterAll(() => backend?.stop());

  it('publishes a predictive model: preview, apply, idempotent re-apply, limit update, keys, test, unpublish', async () => {
    const preview = await devA.put(
      '/models/local/tenant-a/iris/publication?dryRun=true',
      publishIris,
    );
    expect(preview.status).toBe(200);
    expect(
      preview.body.changes
        .map((c: { action: string; kind: string }) => `${c.action} ${c.kind}`)
        .sort(),
    ).toEqual([
      'create AuthorizationPolicy',
      'create Backend',
      'create BackendTrafficPolicy',
      'create HTTPRoute',
      'create Secret',
      'create SecurityPolicy',
    ]);
    expect(labelled()).toEqual([]);

    const published = await devA.put(
      '/models/local/tenant-a/iris/publication',
      publishIris,
    );
    expect(published.status).toBe(200);
    expect(published.body.publication).toMatchObject({
      state: 'published',
      modelType: 'predictive',
      endpoint: 'https://api.router.inference-in-a-box/models/tenant-a/iris',
      apiKeys: [],
    });
    await controllersSettled();
    const afterPublish = labelled();
    expect(afterPublish.map(o => o.split('@')[0])).toEqual([
      'AuthorizationPolicy/tenant-a/iris-gateway-only',
      'Backend/tenant-a/iris',
      'BackendTrafficPolicy/tenant-a/iris-rate-limits',
      'HTTPRoute/tenant-a/iris',
      'Secret/tenant-a/iris-api-keys',
      'SecurityPolicy/tenant-a/iris-auth',
    ]);

    const again = await devA.put(
      '/models/local/tenant-a/iris/publication',
      publishIris,
    );
    expect(again.status).toBe(200);
    expect(
      again.body.changes.filter(
        (c: { action: string }) => c.action !== 'unchanged',
      ),
    ).toEqual([]);
    await controllersSettled();
    expect(labelled()).toEqual(afterPublish);

    backend.sandbox.audit.clear();
    const limited = await devA.put('/models/local/tenant-a/iris/publication', {
      ...publishIris,
      limits: { requestsPerMinute: 10, requestsPerHour: 3600 },
    });
    expect(limited.status).toBe(200);
    // One object changes: its apply is the plan (no dry run first), and the answer says what it did.
    const writes = backend.sandbox.audit.entries(
      e => e.source === 'http' && e.verb === 'patch',
    );
    expect(writes.map(e => [e.resource, e.dryRun])).toEqual([
      ['backendtrafficpolicies', false],
    ]);
    expect(
      limited.body.changes
        .filter((c: { action: string }) => c.action !== 'unchanged')
        .map((c: { action: string; kind: string }) => `${c.action} ${c.kind}`),
    ).toEqual(['update BackendTrafficPolicy']);
    await controllersSettled();
    const changedAfterLimits = labelled().filter(
      o => !afterPublish.includes(o),
    );
    expect(changedAfterLimits.map(o => o.split('@')[0])).toEqual([
      'BackendTrafficPolicy/tenant-a/iris-rate-limits',
    ]);

    const key = await devA.post(
      '/models/local/tenant-a/iris/publication/keys',
      { name: 'laptop' },
    );
    expect(key.status).toBe(201);
    expect(key.body.key).toMatch(/^iib_/);
    expect(key.headers['cache-control']).toBe('no-store');
    const keys = await devA.get('/models/local/tenant-a/iris/publication/keys');
    expect(keys.body.items).toEqual([
      {
        id: key.body.id,
        name: 'laptop',
        createdAt: key.body.createdAt,
        last4: key.body.key.slice(-4),
      },
    ]);
    expect(JSON.stringify(keys.body)).not.toContain(key.body.key);

    const prediction = await devA.testModel('tenant-a', 'iris', {
      protocol: 'kserve-v1',
      target: 'gateway',
      body: {
        instances: [
          [6.8, 2.8, 4.8, 1.4],
          [6.0, 3.4, 4.5, 1.6],
        ],
      },
    });
    expect(prediction.status).toBe(200);
    expect(prediction.body.status).toBe(200);
    expect(prediction.body.body.predictions).toHaveLength(2);

    const history = await devA.get('/models/local/tenant-a/iris/history');
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(
      [
        'apikey.create',
        'publication.publish',
        'publication.publish',
        'publication.publish',
        'model.create',
      ],
    );
    expect(JSON.stringify(history.body)).not.toContain(key.body.key);

    const listed = await devA.get('/publications');
    expect(
      listed.body.items.map((p: { model: string; endpoint: string }) => [
        p.model,
        p.endpoint,
      ]),
    ).toEqual([
      ['iris', 'https://api.router.inference-in-a-box/models/tenant-a/iris'],
    ]);

    const unpublished = await devA.delete(
      '/models/local/tenant-a/iris/publication',
    );
    expect(unpublished.status).toBe(200);
    expect(labelled()).toEqual([]);
    expect(
      storedObject(backend, 'inferenceService', 'tenant-a', 'iris'),
    ).toBeDefined();
    expect(
      (await devA.get('/models/local/tenant-a/iris/publication')).status,
    ).toBe(404);
  });

  it('publishes an OpenAI-compatible model and streams a chat reply through the gateway', async () => {
    await devA.createReadyModel('tenant-a', qwen);
    const published = await devA.put(
      '/models/local/tenant-a/qwen/publication',
      apiKeyPublishRequest('qwen-chat', {
        requestsPerMinute: 60,
        requestsPerHour: 3600,
        tokensPerHour: 100000,
      }),
    );
    expect(published.status).toBe(200);
    expect(published.body.publication).toMatchObject({
      modelType: 'openai',
      // A hostname of its own: see defaultPublicationHostname.
      endpoint: 'https://qwen-tenant-a.inference-in-a-box/v1',
    });
    expect(labelled().map(o => o.split('@')[0].split('/')[0])).toEqual(
      expect.arrayContaining(['AIGatewayRoute', 'AIServiceBackend', 'Backend']),
    );
    await devA.post('/models/local/tenant-a/qwen/publication/keys', {
      name: 'ci',
    });
    const chat = await devA.testModel('tenant-a', 'qwen', {
      protocol: 'openai-chat',
      target: 'gateway',
      stream: true,
      body: { messages: [{ role: 'user', content: 'Hello' }], max_tokens: 20 },
    });
    expect(chat.status).toBe(200);
    expect(chat.body.chunks.length).toBeGreaterThan(2);
    expect(chat.body.chunks.at(-1)).toBe('[DONE]');
    expect(chat.body.usage.totalTokens).toBeGreaterThan(0);

    // Relayed to the browser as server-sent events, chunk by chunk, then the result.
    const relayed = await devA
      .post('/models/local/tenant-a/qwen/test', {
        protocol: 'openai-chat',
        target: 'gateway',
        stream: true,
        body: {
          messages: [{ role: 'user', content: 'Hello' }],
          max_tokens: 20,
        },
      })
      .set('Accept', 'text/event-stream')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
    expect(relayed.status).toBe(200);
    expect(relayed.headers['content-type']).toMatch(/text\/event-stream/);
    const events = (relayed.body as string)
      .split('\n\n')
      .filter(Boolean)
      .map(e => e.split('\n')[0]);
    expect(events.filter(e => e === 'event: chunk').length).toBeGreaterThan(2);
    expect(events.at(-1)).toBe('event: result');
  });

  it('keeps a rotated key for its grace period only, and revokes keys', async () => {
    await devA.createReadyModel('tenant-a', { ...iris, name: 'keys' });
    const base = '/models/local/tenant-a/keys/publication';
    expect(
      (await devA.put(base, { ...publishIris, publicModelName: 'keys' }))
        .status,
    ).toBe(200);
    const first = await devA.post(`${base}/keys`, { name: 'ci' });
    const rotated = await devA.post(`${base}/keys/${first.body.id}/rotate`, {
      graceSeconds: 1,
    });
    expect(rotated.status).toBe(201);
    const during = (await devA.get(`${base}/keys`)).body.items;
    expect(during.map((k: { id: string }) => k.id)).toEqual([
      first.body.id,
      rotated.body.id,
    ]);
    expect(during[0].expiresAt).toBeDefined();
    await new Promise(r => setTimeout(r, 1200));
    // Past its grace period the old key is listed as expired, not hidden: it still works until
    // the expiry task (or the next change of the keys) removes it from the Secret.
    const after = (await devA.get(`${base}/keys`)).body.items;
    expect(
      after.map((k: { id: string; expired?: boolean }) => [k.id, !!k.expired]),
    ).toEqual([
      [first.body.id, true],
      [rotated.body.id, false],
    ]);
    expect((await devA.delete(`${base}/keys/${rotated.body.id}`)).status).toBe(
      204,
    );
    expect((await devA.get(`${base}/keys`)).body.items).toEqual([]);
    expect((await devA.delete(`${base}/keys/${rotated.body.id}`)).status).toBe(
      404,
    );
  });

  it('publishes a model made outside the portal, without the labels the portal gives its models', async () => {
    // A publication reads the model with its blue-green candidate in one list by their model
    // label; a model without it is read by name.
    const made = await fetch(
      `${backend.sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/tenant-a/inferenceservices`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // No labels: as kubectl would create it.
        body: JSON.stringify({
          ...irisIsvc,
          metadata: { name: 'handmade', namespace: 'tenant-a' },
        }),
      },
    );
    expect(made.status).toBe(201);
    const published = await devA.put(
      '/models/local/tenant-a/handmade/publication',
      { ...publishIris, publicModelName: 'handmade' },
    );
    expect(published.status).toBe(200);
    expect(published.body.publication).toMatchObject({
      state: 'published',
      model: 'handmade',
    });
  });

  it('does not let the detected model type change a publication silently', async () => {
    await devA.createReadyModel('tenant-a', { ...iris, name: 'typed' });
    const base = '/models/local/tenant-a/typed/publication';
    expect(
      (await devA.put(base, { ...publishIris, publicModelName: 'typed' }))
        .status,
    ).toBe(200);
    // Someone marks the InferenceService as OpenAI-compatible outside the portal.
    const patched = await fetch(
      `${backend.sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/tenant-a/inferenceservices/typed`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({
          metadata: {
            annotations: { 'inference.platform.io/model-type': 'openai' },
          },
        }),
      },
    );
    expect(patched.status).toBe(200);
    const silent = await devA.put(base, {
      ...publishIris,
      publicModelName: 'typed',
    });
    expect(silent.status).toBe(409);
    expect(silent.body.error.message).toMatch(/modelType/);
    const explicit = await devA.put(base, {
      ...publishIris,
      publicModelName: 'typed',
      modelType: 'predictive',
    });
    expect(explicit.status).toBe(200);
  });

  it("sends in-cluster test calls only to the model's own predictor address", async () => {
    await devA.createReadyModel('tenant-a', { ...iris, name: 'ssrf' });
    const status = await fetch(
      `${backend.sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/tenant-a/inferenceservices/ssrf/status`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({
          status: {
            address: { url: 'http://169.254.169.254/latest/meta-data' },
          },
        }),
      },
    );
    expect(status.status).toBe(200);
    const response = await devA.post('/models/local/tenant-a/ssrf/test', {
      protocol: 'kserve-v1',
      target: 'in-cluster',
      body: {},
    });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /ssrf-predictor\.tenant-a\.svc\.cluster\.local/,
    );
  });

  it('lets only one of two tenants claiming one hostname at the same moment publish on it', async () => {
    const claimants = [
      { api: devA, path: '/models/local/tenant-a/race-a/publication' },
      {
        api: apiAs(backend, 'dev-b'),
        path: '/models/local/tenant-b/race-b/publication',
      },
    ];
    await claimants[0].api.createReadyModel('tenant-a', {
      ...qwen,
      name: 'race-a',
    });
    await claimants[1].api.createReadyModel('tenant-b', {
      ...qwen,
      name: 'race-b',
    });
    const claim = (hostname: string, publicName: string) =>
      Promise.all(
        claimants.map(({ api, path }) =>
          api.put(path, { ...apiKeyPublishRequest(publicName), hostname }),
        ),
      );
    for (const round of [1, 2, 3]) {
      const hostname = `race-${round}.inference-in-a-box`;
      // Slow writes keep the first claim's route unwritten while the second one checks.
      backend.sandbox.faults.add({
        method: 'PATCH',
        path: /\/secrets\/race-[ab]-api-keys/,
        delayMs: 400,
        times: 4,
      });
      const answers = await claim(hostname, `chat-${round}`);
      expect(answers.map(a => a.status).sort()).toEqual([200, 409]);
    }
  });

  it('gives each OpenAI-compatible publication its own hostname and refuses a second on one', async () => {
    const devB = apiAs(backend, 'dev-b');
    await devB.createReadyModel('tenant-b', { ...qwen, name: 'other-llm' });
    // The same public name as tenant-a's qwen: on another hostname, no clash.
    const own = await devB.put(
      '/models/local/tenant-b/other-llm/publication',
      apiKeyPublishRequest('qwen-chat'),
    );
    expect(own.status).toBe(200);
    expect(own.body.publication.endpoint).toBe(
      'https://other-llm-tenant-b.inference-in-a-box/v1',
    );

    await devB.createReadyModel('tenant-b', { ...qwen, name: 'third-llm' });
    const shared = await devB.put(
      '/models/local/tenant-b/third-llm/publication',
      {
        ...apiKeyPublishRequest('third'),
        hostname: 'qwen-tenant-a.inference-in-a-box',
      },
    );
    expect(shared.status).toBe(409);
    expect(shared.body.error.message).toMatch(
      /^hostname: qwen-tenant-a.inference-in-a-box already serves another OpenAI-compatible publication/,
    );
    expect(shared.body.error.message).not.toMatch(/tenant-a\b(?!\.)|qwen-chat/);
    expect(
      storedObject(backend, 'aiGatewayRoute', 'tenant-b', 'third-llm'),
    ).toBeUndefined();
  });

  it('changes the limits of an OpenAI publication without claiming its hostname again, and still checks a new one', async () => {
    const devB = apiAs(backend, 'dev-b');
    await devB.createReadyModel('tenant-b', { ...qwen, name: 'limits-llm' });
    const path = '/models/local/tenant-b/limits-llm/publication';
    await devB.publish('tenant-b', 'limits-llm', apiKeyPublishRequest('l'));
    // The hostname check lists every namespace's routes; the publication's own are listed (or
    // watched) in its namespace only.
    const hostnameChecks = () =>
      backend.sandbox.audit.entries(
        e =>
          e.verb === 'list' &&
          e.resource === 'aigatewayroutes' &&
          e.namespace === undefined,
      ).length;

    backend.sandbox.audit.clear();
    const limited = await devB.put(path, {
      ...apiKeyPublishRequest('l', { requestsPerMinute: 7 }),
    });
    expect(limited.status).toBe(200);
    expect(hostnameChecks()).toBe(0);

    backend.sandbox.audit.clear();
    const moved = await devB.put(path, {
      ...apiKeyPublishRequest('l'),
      hostname: 'qwen-tenant-a.inference-in-a-box',
    });
    expect(moved.status).toBe(409);
    expect(hostnameChecks()).toBe(1);
  });
});

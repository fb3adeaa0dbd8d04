// What the portal promises about a publication, checked where it is kept: at the gateway. Every
// call here goes through the gateway data-path double (packages/gateway-sandbox), which enforces
// the objects the portal wrote, after the portal's own API published, created, revoked or rotated.
import { mockServices } from '@backstage/backend-test-utils';
import type { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import OpenAI from 'openai';
import { Agent, buildConnector, fetch as undiciFetch, request } from 'undici';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  qwenSpec,
  startPluginBackend,
} from '../__testUtils__';

jest.setTimeout(90_000);

type Api = ReturnType<typeof apiAs>;

/** How to call one published model: its public hostname, a request path and a body. */
interface Endpoint {
  host: string;
  path: string;
  body: object;
}

/** The endpoint the publish answer names, and the request its users send there. */
function endpointOf(
  publication: { endpoint: string; modelType: string },
  publicModelName: string,
): Endpoint {
  const url = new URL(publication.endpoint);
  return publication.modelType === 'openai'
    ? {
        host: url.hostname,
        path: `${url.pathname}/chat/completions`,
        body: {
          model: publicModelName,
          messages: [{ role: 'user', content: 'Hello' }],
        },
      }
    : {
        host: url.hostname,
        path: `${url.pathname}/v1/models/${publicModelName}:predict`,
        body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
      };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Rate limit windows are aligned to the clock (as envoyproxy/ratelimit's are): a test that counts
 * requests in one window first waits out a window about to end.
 */
async function awayFromWindowEnd(windowMs: number, marginMs = 5_000) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await sleep(left + 50);
}

describe('the gateway enforces what the portal publishes', () => {
  let backend: InferenceTestBackend;
  let devA: Api;
  let devB: Api;
  const scheduler = mockServices.scheduler.mock();

  /** One call to the gateway double, with the given key (or none) in `x-api-key`. */
  async function call(
    endpoint: Endpoint,
    apiKey?: string,
    headers: Record<string, string> = {},
  ) {
    const response = await request(`${backend.gateway!.url}${endpoint.path}`, {
      method: 'POST',
      headers: {
        host: endpoint.host,
        'content-type': 'application/json',
        ...(apiKey ? { 'x-api-key': apiKey } : {}),
        ...headers,
      },
      body: JSON.stringify(endpoint.body),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      text: await response.body.text(),
    };
  }

  /** After a write through the portal: the gateway has seen it, as a real one would shortly. */
  const gatewayCaughtUp = () => backend.gateway!.objects.waitUntilCurrent();

  /**
   * A new route serves once Envoy Gateway has accepted it (the sandbox's controller writes the
   * status a moment after the portal's apply); until then the gateway answers 404, as a real one
   * does while it programs the route.
   */
  async function routed(endpoint: Endpoint) {
    for (let started = Date.now(); Date.now() - started < 5_000; ) {
      if ((await call(endpoint)).status !== 404) return;
      await sleep(50);
    }
    throw new Error(`${endpoint.host}${endpoint.path} was never routed`);
  }

  async function publish(
    api: Api,
    tenant: string,
    model: string,
    limits?: Record<string, number>,
  ) {
    const keysPath = `/models/local/${tenant}/${model}/publication/keys`;
    await api.publish(tenant, model, apiKeyPublishRequest(model, limits));
    const publication = await api.get(
      `/models/local/${tenant}/${model}/publication`,
    );
    const endpoint = endpointOf(publication.body, model);
    await routed(endpoint);
    return {
      endpoint,
      async createKey(name: string): Promise<{ id: string; key: string }> {
        const created = await api.post(keysPath, { name });
        expect(created.status).toBe(201);
        await gatewayCaughtUp();
        return created.body;
      },
      revoke: (id: string) => api.delete(`${keysPath}/${id}`),
      rotate: (id: string, graceSeconds: number) =>
        api.post(`${keysPath}/${id}/rotate`, { graceSeconds }),
    };
  }

  async function runKeyExpiry() {
    const task = scheduler.scheduleTask.mock.calls
      .map(([d]) => d as SchedulerServiceTaskInvocationDefinition)
      .find(d => d.id === 'inference-expire-rotated-keys');
    await task!.fn(new AbortController().signal);
  }

  beforeAll(async () => {
    backend = await startPluginBackend({ features: [scheduler.factory] });
    devA = apiAs(backend, 'dev-a');
    devB = apiAs(backend, 'dev-b');
    await Promise.all([
      devA.createReadyModel('tenant-a', irisSpec('iris')),
      devA.createReadyModel('tenant-a', qwenSpec('qwen')),
    ]);
  });
  afterAll(() => backend?.stop());

  describe.each([
    ['predictive', 'iris', /predictions/],
    ['OpenAI-compatible', 'qwen', /"choices"/],
  ])('a %s publication', (_type, model, answer) => {
    let published: Awaited<ReturnType<typeof publish>>;
    beforeAll(async () => {
      published = await publish(devA, 'tenant-a', model);
    });

    it("answers 401 without a key and the model's answer with one", async () => {
      const missing = await call(published.endpoint);
      expect(missing.status).toBe(401);
      expect(missing.text).toBe('Client authentication failed.');
      const wrong = await call(published.endpoint, 'iib_not-a-key-of-ours');
      expect(wrong.status).toBe(401);

      const { key } = await published.createKey('laptop');
      const ok = await call(published.endpoint, key);
      expect(ok.status).toBe(200);
      expect(ok.text).toMatch(answer);
    });

    it('refuses a revoked key within 2 s of the revoke', async () => {
      const { id, key } = await published.createKey('to-revoke');
      expect((await call(published.endpoint, key)).status).toBe(200);

      const revokedAt = Date.now();
      expect((await published.revoke(id)).status).toBe(204);
      let status = 200;
      while (status !== 401 && Date.now() - revokedAt < 2_000) {
        status = (await call(published.endpoint, key)).status;
        if (status !== 401) await sleep(50);
      }
      expect(status).toBe(401);
      expect(Date.now() - revokedAt).toBeLessThan(2_000);
    });

    it('keeps a rotated key working during its grace period and refuses it after', async () => {
      const old = await published.createKey('to-rotate');
      const rotated = await published.rotate(old.id, 2);
      expect(rotated.status).toBe(201);
      await gatewayCaughtUp();

      expect((await call(published.endpoint, old.key)).status).toBe(200);
      expect((await call(published.endpoint, rotated.body.key)).status).toBe(
        200,
      );
      await runKeyExpiry(); // within the grace period: nothing to remove yet
      await gatewayCaughtUp();
      expect((await call(published.endpoint, old.key)).status).toBe(200);

      await sleep(2_100);
      await runKeyExpiry();
      await gatewayCaughtUp();
      expect((await call(published.endpoint, old.key)).status).toBe(401);
      expect((await call(published.endpoint, rotated.body.key)).status).toBe(
        200,
      );
    });

    it('shows the same answers in the test console: 401 without a key, 200 with one', async () => {
      const base = {
        protocol: model === 'qwen' ? 'openai-chat' : 'kserve-v1',
        target: 'gateway',
        body: published.endpoint.body,
      };
      const without = await devA.testModel('tenant-a', model, {
        ...base,
        withoutApiKey: true,
      });
      expect(without.status).toBe(200);
      expect(without.body).toMatchObject({
        status: 401,
        body: 'Client authentication failed.',
      });
      const withKey = await devA.testModel('tenant-a', model, base);
      expect(withKey.body.status).toBe(200);
    });
  });

  it('limits each key on its own: the 6th request of key A in a minute gets 429, key B still 200', async () => {
    await devA.createReadyModel('tenant-a', irisSpec('limited'));
    const published = await publish(devA, 'tenant-a', 'limited', {
      requestsPerMinute: 5,
    });
    const a = await published.createKey('a');
    const b = await published.createKey('b');
    await awayFromWindowEnd(60_000);

    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call(published.endpoint, a.key)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = await call(published.endpoint, a.key);
    expect(refused.status).toBe(429);
    expect(refused.text).toBe('');
    expect(refused.headers['x-ratelimit-limit']).toMatch(/^5, 5;w=60/);
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');

    expect((await call(published.endpoint, b.key)).status).toBe(200);
  });

  it('refuses requests once the tokens recorded for a key in the hour exceed its limit', async () => {
    await devA.createReadyModel('tenant-a', qwenSpec('metered'));
    const tokensPerHour = 1_000; // the smallest limit the portal accepts
    const published = await publish(devA, 'tenant-a', 'metered', {
      tokensPerHour,
    });
    const { key } = await published.createKey('metered');
    await awayFromWindowEnd(3_600_000, 30_000);

    // Each answer charges its usage after it is sent; the next request is checked against it.
    let recorded = 0;
    const seen: Array<[number, number]> = [];
    for (let i = 0; i < 500 && recorded <= tokensPerHour; i++) {
      const response = await call(published.endpoint, key);
      seen.push([recorded, response.status]);
      expect(response.status).toBe(200);
      recorded += JSON.parse(response.text).usage.total_tokens;
    }
    expect(recorded).toBeGreaterThan(tokensPerHour);
    expect(seen.length).toBeGreaterThan(1); // the limit was not hit by the first answer alone
    const over = await call(published.endpoint, key);
    expect(over.status).toBe(429);
  });

  it("serves two tenants' OpenAI publications to the OpenAI SDK, each only with its own key", async () => {
    await devB.createReadyModel('tenant-b', qwenSpec('qwen-b'));
    const a = await publish(devA, 'tenant-a', 'qwen');
    const b = await publish(devB, 'tenant-b', 'qwen-b');
    const keyA = (await a.createKey('sdk')).key;
    const keyB = (await b.createKey('sdk')).key;

    // The SDK dials the public hostname; this connector sends every connection to the double.
    const port = new URL(backend.gateway!.url).port;
    const connect = buildConnector({});
    const toGateway = new Agent({
      connect: (options, callback) =>
        connect({ ...options, hostname: '127.0.0.1', port }, callback),
    });
    const sdk = (endpoint: Endpoint, apiKey: string) =>
      new OpenAI({
        apiKey,
        baseURL: `http://${endpoint.host}/v1`,
        maxRetries: 0,
        fetch: ((url: string, init: object) =>
          undiciFetch(url, { ...init, dispatcher: toGateway })) as never,
      });
    const ask = (client: OpenAI, model: string) =>
      client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Hello' }],
      });

    const fromA = await ask(sdk(a.endpoint, keyA), 'qwen');
    expect(fromA.choices[0].message.content).toBeTruthy();
    expect(fromA.usage?.total_tokens).toBeGreaterThan(0);
    const fromB = await ask(sdk(b.endpoint, keyB), 'qwen-b');
    expect(fromB.choices[0].message.content).toBeTruthy();

    await expect(ask(sdk(b.endpoint, keyA), 'qwen-b')).rejects.toMatchObject({
      status: 401,
    });
    await expect(ask(sdk(a.endpoint, keyB), 'qwen')).rejects.toMatchObject({
      status: 401,
    });
    // A's key, A's model in the header, B's in the body: AI Gateway routes on the body, and no
    // route on A's hostname serves B's model.
    const smuggled = await call(
      { ...a.endpoint, body: { ...a.endpoint.body, model: 'qwen-b' } },
      keyA,
      { 'x-ai-eg-model': 'qwen' },
    );
    expect(smuggled.status).toBe(404);
    expect(smuggled.text).toMatch(/No matching route found/);
    await toGateway.close();
  });
});

// Usage figures end to end: the portal publishes models, requests with two API keys (some over the
// limit) and without one go through the gateway double, a real Prometheus (Debian's package, as
// scripts/start.sh runs it) scrapes the double with the development scrape config, and the usage
// routes read the figures back from it.
import {
  coreServices,
  createServiceFactory,
  PermissionsRegistryServiceAddResourceTypeOptions,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createInferenceModelConditionalDecision,
  inferenceModelConditions,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { request } from 'undici';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  loadCatalogEntities,
  membershipOf,
  qwenSpec,
  startPluginBackend,
} from '../__testUtils__';
import {
  freePort,
  describeWithPrometheus,
  startPrometheus,
  TestPrometheus,
} from './__testUtils__/startPrometheus';

jest.setTimeout(120_000);

/**
 * Permission decisions as the portal's policy makes them (packages/backend's policy.ts: platform
 * admins everything, others the plugin's IS_IN_USER_TENANTS rule on their ownership claims),
 * resolved through the plugin's own resource type, as in tenants/tenantTrust.test.ts.
 */
function portalPermissions() {
  const entities = loadCatalogEntities();
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
      async authorize(requests: any[], { credentials }: any) {
        const userRef = credentials.principal?.userEntityRef;
        const claims = userRef ? membershipOf(entities, userRef) : [];
        return Promise.all(
          requests.map(async r => {
            if (claims.includes('group:default/platform-admins'))
              return { result: AuthorizeResult.ALLOW };
            if (!r.resourceRef || !resourceType?.getResources)
              return { result: AuthorizeResult.DENY };
            const [resource] = await resourceType.getResources([r.resourceRef]);
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
      // As the portal's policy answers a model permission without a resource: ALLOW for platform
      // admins, else the plugin's tenant condition with the user's claims.
      async authorizeConditional(queries: any[], { credentials }: any) {
        const userRef = credentials.principal?.userEntityRef;
        const claims = userRef ? membershipOf(entities, userRef) : [];
        return queries.map(({ permission }) =>
          claims.includes('group:default/platform-admins')
            ? { result: AuthorizeResult.ALLOW }
            : createInferenceModelConditionalDecision(
                permission,
                inferenceModelConditions.isInUserTenants({ claims }),
              ),
        );
      },
    }),
  });
  return [registry.factory, permissions];
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Waits out a clock-aligned window about to end, so the figures sent all fall in one window. */
async function awayFromWindowEnd(windowMs: number, marginMs: number) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await sleep(left + 100);
}

type Api = ReturnType<typeof apiAs>;

describeWithPrometheus('usage from Prometheus', () => {
  let backend: InferenceTestBackend;
  let prometheus: TestPrometheus;
  let devA: Api;
  let devB: Api;
  let admin: Api;
  /** What was sent and answered, per key, to compare with the figures. */
  const sent = {
    a: { ok: 0, limited: 0, input: 0, output: 0 },
    b: { ok: 0, limited: 0, input: 0, output: 0 },
    unauthorized: 0,
    iris: 0,
    irisUnauthorized: 0,
  };
  const keys: Record<'a' | 'b', { id: string; key: string }> = {} as never;

  async function call(
    host: string,
    path: string,
    body: object,
    apiKey?: string,
  ) {
    const response = await request(`${backend.gateway!.url}${path}`, {
      method: 'POST',
      headers: {
        host,
        'content-type': 'application/json',
        ...(apiKey ? { 'x-api-key': apiKey } : {}),
      },
      body: JSON.stringify(body),
    });
    return {
      status: response.statusCode,
      text: await response.body.text(),
    };
  }

  const chat = (apiKey?: string) =>
    call(
      'qwen-tenant-a.inference-in-a-box',
      '/v1/chat/completions',
      {
        model: 'qwen',
        messages: [{ role: 'user', content: 'How many tokens is this?' }],
      },
      apiKey,
    );
  const predict = (apiKey?: string) =>
    call(
      'api.router.inference-in-a-box',
      '/models/tenant-a/iris/v1/models/iris:predict',
      { instances: [[6.8, 2.8, 4.8, 1.4]] },
      apiKey,
    );

  /** Sends without a key until the route is served; returns the first answer that is not 404. */
  async function routed(send: () => Promise<{ status: number }>) {
    for (let started = Date.now(); Date.now() - started < 10_000; ) {
      const { status } = await send();
      if (status !== 404) return status;
      await sleep(50);
    }
    throw new Error('the route was never served');
  }

  async function createKey(api: Api, model: string, name: string) {
    const created = await api.post(
      `/models/local/tenant-a/${model}/publication/keys`,
      { name },
    );
    expect(created.status).toBe(201);
    return created.body as { id: string; key: string };
  }

  beforeAll(async () => {
    const port = await freePort();
    backend = await startPluginBackend({
      features: portalPermissions(),
      config: {
        usage: {
          prometheusUrl: `http://127.0.0.1:${port}`,
          timeoutSeconds: 5,
        },
      },
    });
    prometheus = await startPrometheus({
      port,
      metricsUrl: backend.gateway!.metricsUrl,
      scrapeIntervalSeconds: 1,
    });
    devA = apiAs(backend, 'dev-a');
    devB = apiAs(backend, 'dev-b');
    admin = apiAs(backend, 'platform-admin');
    await Promise.all([
      devA.createReadyModel('tenant-a', qwenSpec('qwen')),
      devA.createReadyModel('tenant-a', irisSpec('iris')),
    ]);
    await devA.publish(
      'tenant-a',
      'qwen',
      apiKeyPublishRequest('qwen', {
        requestsPerMinute: 5,
        requestsPerHour: 1000,
        tokensPerHour: 100_000,
      }),
    );
    await devA.publish('tenant-a', 'iris');
    keys.a = await createKey(devA, 'qwen', 'laptop');
    keys.b = await createKey(devA, 'qwen', 'ci');
    const irisKey = await createKey(devA, 'iris', 'notebook');
    await backend.gateway!.objects.waitUntilCurrent();
    // These keyless requests are 401s too, and the access log counts them.
    if ((await routed(() => chat())) === 401) sent.unauthorized++;
    if ((await routed(() => predict())) === 401) sent.irisUnauthorized++;
    // The key limit is per clock-aligned minute and hour: all requests go into one of each.
    await awayFromWindowEnd(3_600_000, 40_000);
    await awayFromWindowEnd(60_000, 30_000);
    const expectStatus = (status: number, expected: number) => {
      if (status !== expected)
        throw new Error(`the gateway answered ${status}, not ${expected}`);
    };
    for (const [who, count] of [
      ['a', 8],
      ['b', 3],
    ] as const) {
      for (let i = 0; i < count; i++) {
        const answer = await chat(keys[who].key);
        if (answer.status === 429) {
          sent[who].limited++;
          continue;
        }
        expectStatus(answer.status, 200);
        const { usage } = JSON.parse(answer.text);
        sent[who].ok++;
        sent[who].input += usage.prompt_tokens;
        sent[who].output += usage.completion_tokens;
      }
    }
    for (let i = 0; i < 2; i++) {
      expectStatus((await chat()).status, 401);
      sent.unauthorized++;
    }
    for (let i = 0; i < 2; i++) {
      expectStatus((await predict(irisKey.key)).status, 200);
      sent.iris++;
    }
    await prometheus.scrapedAfter(Date.now());
  });

  afterAll(async () => {
    await prometheus?.stop();
    await backend?.stop();
  });

  it('sent what the figures should show: key A over its limit of 5 a minute', () => {
    expect(sent.a).toMatchObject({ ok: 5, limited: 3 });
    expect(sent.unauthorized).toBe(3);
    expect(sent.irisUnauthorized).toBe(1);
    expect(sent.b).toMatchObject({ ok: 3, limited: 0 });
    expect(sent.a.input + sent.a.output).toBeGreaterThan(0);
  });

  it("counts the model's requests, 429s and tokens, per key, with the minute's headroom", async () => {
    const answer = await devA.get(
      '/models/local/tenant-a/qwen/usage?window=1h',
    );
    expect(answer.status).toBe(200);
    const usage = answer.body;
    // Envoy's route stats: 8 answered by the model, 3 refused by the rate limit; the 401s happen
    // before a route's cluster is counted, and come from the access log counter.
    expect(usage.requests).toEqual({
      total: 11,
      byStatusClass: { '2xx': 8, '4xx': 3 },
      rateLimited: 3,
      unauthorized: sent.unauthorized,
    });
    const tokens = (k: 'a' | 'b') => ({
      input: sent[k].input,
      output: sent[k].output,
      total: sent[k].input + sent[k].output,
    });
    expect(usage.tokens).toEqual({
      input: sent.a.input + sent.b.input,
      output: sent.a.output + sent.b.output,
      total: tokens('a').total + tokens('b').total,
    });
    expect(usage.keys).toEqual([
      {
        keyId: keys.a.id,
        name: 'laptop',
        // The 429s per key come from the access log counter: what key A was refused.
        requests: {
          total: 5,
          byStatusClass: { '2xx': 5 },
          rateLimited: sent.a.limited,
        },
        tokens: tokens('a'),
        headroom: [
          { limit: 'requestsPerMinute', max: 5, used: 5, windowSeconds: 60 },
          { limit: 'requestsPerHour', max: 1000, used: 5, windowSeconds: 3600 },
          {
            limit: 'tokensPerHour',
            max: 100_000,
            used: tokens('a').total,
            windowSeconds: 3600,
          },
        ],
      },
      {
        keyId: keys.b.id,
        name: 'ci',
        requests: {
          total: 3,
          byStatusClass: { '2xx': 3 },
          rateLimited: sent.b.limited,
        },
        tokens: tokens('b'),
        headroom: [
          { limit: 'requestsPerMinute', max: 5, used: 3, windowSeconds: 60 },
          { limit: 'requestsPerHour', max: 1000, used: 3, windowSeconds: 3600 },
          {
            limit: 'tokensPerHour',
            max: 100_000,
            used: tokens('b').total,
            windowSeconds: 3600,
          },
        ],
      },
    ]);
    expect(usage.unavailable).toEqual([]);
    expect(
      usage.keys.reduce(
        (n: number, k: { requests: { rateLimited: number } }) =>
          n + k.requests.rateLimited,
        0,
      ),
    ).toBe(usage.requests.rateLimited);
    expect(usage.latencyMs.p50).toBeGreaterThanOrEqual(0);
    expect(usage.latencyMs.p95).toBeGreaterThanOrEqual(usage.latencyMs.p50);
  });

  it('has series over the window, one point a minute, adding up to the totals', async () => {
    const { body: usage } = await devA.get(
      '/models/local/tenant-a/qwen/usage?window=1h',
    );
    const sum = (points: Array<{ value: number }>) =>
      points.reduce((n, p) => n + p.value, 0);
    expect(usage.series.requests).toHaveLength(60);
    const times = usage.series.requests.map((p: { t: number }) => p.t);
    expect(times[59] - times[0]).toBe(59 * 60);
    expect(times[59]).toBe(usage.asOf);
    expect(sum(usage.series.requests)).toBe(11);
    expect(sum(usage.series.rateLimited)).toBe(3);
    expect(sum(usage.series.errors)).toBe(0);
    expect(sum(usage.series.tokens)).toBe(usage.tokens.total);
  });

  it('gives a predictive model its route figures and says why it has no per-key ones', async () => {
    const { body: usage } = await devA.get(
      '/models/local/tenant-a/iris/usage?window=24h',
    );
    expect(usage.requests).toEqual({
      total: sent.iris,
      byStatusClass: { '2xx': sent.iris },
      rateLimited: 0,
      unauthorized: sent.irisUnauthorized,
    });
    expect(usage.tokens).toBeUndefined();
    expect(usage.keys).toEqual([]);
    expect(usage.series.requests).toHaveLength(96);
    expect(usage.unavailable).toContainEqual(
      expect.objectContaining({ figure: 'keys' }),
    );
  });

  it("answers the tenants' usage: dev-a tenant-a's, the admin every tenant's", async () => {
    const mine = await devA.get('/usage/tenants?window=7d');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((t: { tenant: string }) => t.tenant)).toEqual([
      'tenant-a',
    ]);
    const [tenantA] = mine.body.items;
    expect(tenantA.requests).toEqual({
      total: 11 + sent.iris,
      byStatusClass: { '2xx': 8 + sent.iris, '4xx': 3 },
      rateLimited: 3,
      unauthorized: sent.unauthorized + sent.irisUnauthorized,
    });
    const { body: qwen } = await devA.get(
      '/models/local/tenant-a/qwen/usage?window=7d',
    );
    expect(tenantA.tokens).toEqual(qwen.tokens);
    expect(tenantA.models).toEqual([
      {
        model: { cluster: 'local', namespace: 'tenant-a', name: 'iris' },
        requests: {
          total: sent.iris,
          byStatusClass: { '2xx': sent.iris },
          rateLimited: 0,
          unauthorized: sent.irisUnauthorized,
        },
      },
      {
        model: { cluster: 'local', namespace: 'tenant-a', name: 'qwen' },
        requests: qwen.requests,
        tokens: qwen.tokens,
      },
    ]);

    const all = await admin.get('/usage/tenants?window=1h');
    expect(
      all.body.items.map((t: { tenant: string }) => t.tenant).sort(),
    ).toEqual(['tenant-a', 'tenant-b', 'tenant-c']);
    const theirs = await devB.get('/usage/tenants?window=1h');
    expect(theirs.body.items).toEqual([
      expect.objectContaining({
        tenant: 'tenant-b',
        requests: {
          total: 0,
          byStatusClass: {},
          rateLimited: 0,
          unauthorized: 0,
        },
        models: [],
      }),
    ]);
  });

  it("refuses dev-b another tenant's model, as reading the model is refused", async () => {
    const usage = await devB.get('/models/local/tenant-a/qwen/usage?window=1h');
    const model = await devB.get('/models/local/tenant-a/qwen');
    expect(usage.status).toBe(403);
    expect(model.status).toBe(403);
    expect(usage.body.error.message).toBe(model.body.error.message);
  });

  it("keeps a revoked key's usage in the model's figures, listed without a name", async () => {
    const before = (
      await devA.get('/models/local/tenant-a/qwen/usage?window=1h')
    ).body;
    const revoked = await devA.delete(
      `/models/local/tenant-a/qwen/publication/keys/${keys.b.id}`,
    );
    expect(revoked.status).toBe(204);
    const after = (
      await devA.get('/models/local/tenant-a/qwen/usage?window=1h')
    ).body;
    expect(after.tokens).toEqual(before.tokens);
    expect(
      after.keys.map((k: { keyId: string; name?: string }) => [
        k.keyId,
        k.name,
      ]),
    ).toEqual([
      [keys.a.id, 'laptop'],
      [keys.b.id, undefined],
    ]);
    expect(after.keys[1]).toMatchObject({
      requests: { total: 3 },
      headroom: [],
    });
  });

  it('answers a bad window with a 400 naming the field', async () => {
    for (const path of [
      '/models/local/tenant-a/qwen/usage?window=2h',
      '/usage/tenants?window=1h&window=7d',
    ]) {
      const answer = await devA.get(path);
      expect(answer.status).toBe(400);
      expect(answer.body.error.fields).toEqual([
        { field: 'window', message: 'must be one of 1h, 24h, 7d' },
      ]);
    }
  });

  it('answers 503 with a clear message, naming no address, when Prometheus is down', async () => {
    await prometheus.stop();
    for (const path of [
      '/models/local/tenant-a/qwen/usage?window=1h',
      '/usage/tenants?window=1h',
    ]) {
      const answer = await devA.get(path);
      expect(answer.status).toBe(503);
      expect(answer.body.error.message).toMatch(
        /^Usage figures are unavailable: Prometheus \(.+\) refused the connection$/,
      );
      expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}/);
    }
    // The rest of the model's API is unaffected.
    expect((await devA.get('/models/local/tenant-a/qwen')).status).toBe(200);
  });
});

describe('usage without Prometheus configured', () => {
  let backend: InferenceTestBackend;
  beforeAll(async () => {
    backend = await startPluginBackend({
      gatewayDouble: false,
      features: portalPermissions(),
    });
  });
  afterAll(() => backend?.stop());

  it('answers 501 naming the config key, after the permission check', async () => {
    const devA = apiAs(backend, 'dev-a');
    await devA.createReadyModel('tenant-a', irisSpec('iris'));
    for (const path of [
      '/models/local/tenant-a/iris/usage?window=1h',
      '/usage/tenants',
    ]) {
      const answer = await devA.get(path);
      expect(answer.status).toBe(501);
      expect(answer.body.error).toMatchObject({
        name: 'NotImplementedError',
        message: expect.stringContaining('inference.usage.prometheusUrl'),
      });
    }
    const devB = apiAs(backend, 'dev-b');
    expect(
      (await devB.get('/models/local/tenant-a/iris/usage?window=1h')).status,
    ).toBe(403);
  });
});

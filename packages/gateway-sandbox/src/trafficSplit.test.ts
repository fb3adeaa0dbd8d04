import http from 'node:http';
import { AddressInfo } from 'node:net';
import { KubeObject } from './objects/types';
import { DESTINATION_HEADER, SERVED_BY_HEADER } from './proxy/forward';
import { GatewayResponse, sendToGateway } from './__testUtils__/gatewayClient';
import { Harness, startHarness } from './__testUtils__/harness';
import { applyObjects } from './__testUtils__/kubeApi';
import { routeObjectsIn, tenantNamespace } from './__testUtils__/kubeObjects';

/**
 * Canary and blue-green splits measured through the double, as the portal's
 * tests will: which in-cluster destination served each request (the
 * served-by marker of the kube-sandbox's mock model server), over 1,000
 * requests, within +/- 5 points of the configured split.
 */

jest.setTimeout(60_000);

const NS = 'tenant-split';
const REQUESTS = 1000;
const svc = (name: string) => `${name}.${NS}.svc.cluster.local`;

const { parentRefs, backend, backendRef, httpRoute } = routeObjectsIn(NS);

interface RequestOverrides {
  path?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One request to `host`: a GET of the mock model server's readiness unless said otherwise. */
function sendOne(
  harness: Harness,
  host: string,
  request: RequestOverrides = {},
): Promise<GatewayResponse> {
  return sendToGateway(harness.gateway.url, {
    host,
    path: request.path ?? '/v2/health/ready',
    headers: request.headers,
    body: request.body,
  });
}

/** `count` requests as `sendOne` sends them, 25 in flight. */
async function sendMany(
  harness: Harness,
  host: string,
  count = REQUESTS,
  request: RequestOverrides = {},
): Promise<GatewayResponse[]> {
  const responses: GatewayResponse[] = [];
  for (let sent = 0; sent < count; sent += 25) {
    const batch = Array.from({ length: Math.min(25, count - sent) }, () =>
      sendOne(harness, host, request),
    );
    responses.push(...(await Promise.all(batch)));
  }
  return responses;
}

/** How many answers each destination (or `<status>` for answers without one) gave. */
function tally(responses: GatewayResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of responses) {
    const key = String(r.headers[SERVED_BY_HEADER] ?? r.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Asserts each destination's share is its expected percent within `points`. */
function expectSplit(
  counts: Record<string, number>,
  expected: Record<string, number>,
  points = 5,
) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  expect(Object.keys(counts).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, percent] of Object.entries(expected)) {
    const share = (100 * (counts[key] ?? 0)) / total;
    // The share is in the message when it fails.
    expect({ key, share, within: Math.abs(share - percent) <= points }).toEqual(
      { key, share: expect.any(Number), within: true },
    );
  }
}

/** Answers with what it received, standing in for a pod whose request we inspect. */
async function startEchoServer() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-upstream-says': 'hello',
    });
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('traffic splits through the gateway double', () => {
  let harness: Harness;
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  beforeAll(async () => {
    echo = await startEchoServer();
    harness = await startHarness({
      // Names under `echo-` reach the echo server, names ending `-gone`
      // resolve nowhere, everything else reaches the mock model server.
      resolveBackend: (hostname, _port, modelServerUrl) => {
        if (hostname.endsWith(`-gone.${NS}.svc.cluster.local`))
          return undefined;
        return hostname.startsWith('echo-') ? echo.url : modelServerUrl;
      },
    });
  });
  afterAll(async () => {
    await harness.close();
    await echo.close();
  });

  describe('HTTPRoute backendRefs (blue-green, Standard mode)', () => {
    beforeAll(async () => {
      await harness.publish([
        backend('blue', svc('blue-predictor')),
        backend('green', svc('green-predictor')),
        httpRoute('bluegreen', {
          backendRefs: [
            backendRef('blue', { weight: 80 }),
            backendRef('green', { weight: 20 }),
          ],
        }),
        httpRoute('zero-weight', {
          backendRefs: [
            backendRef('blue', { weight: 1 }),
            backendRef('green', { weight: 0 }),
          ],
        }),
        httpRoute('all-zero', {
          backendRefs: [
            backendRef('blue', { weight: 0 }),
            backendRef('green', { weight: 0 }),
          ],
        }),
        httpRoute('one-invalid', {
          backendRefs: [
            backendRef('blue', { weight: 70 }),
            backendRef('missing', { weight: 30 }),
          ],
        }),
      ]);
    });

    it('splits 80/20 by weight, within 5 points over 1,000 requests', async () => {
      const responses = await sendMany(harness, 'bluegreen.inference-in-a-box');
      expect(responses.every(r => r.status === 200)).toBe(true);
      expectSplit(tally(responses), {
        [svc('blue-predictor')]: 80,
        [svc('green-predictor')]: 20,
      });
    });

    it('never sends to a backendRef of weight 0', async () => {
      const responses = await sendMany(
        harness,
        'zero-weight.inference-in-a-box',
        200,
      );
      expect(tally(responses)).toEqual({ [svc('blue-predictor')]: 200 });
    });

    it('answers 500 without a body when every weight is 0', async () => {
      const response = await sendOne(harness, 'all-zero.inference-in-a-box');
      expect(response.status).toBe(500);
      expect(response.text).toBe('');
      expect(response.headers[SERVED_BY_HEADER]).toBeUndefined();
    });

    it("answers 500 for an invalid backendRef's share of the weight", async () => {
      const responses = await sendMany(
        harness,
        'one-invalid.inference-in-a-box',
      );
      expect(
        responses.filter(r => r.status === 500).every(r => r.text === ''),
      ).toBe(true);
      expectSplit(tally(responses), { [svc('blue-predictor')]: 70, '500': 30 });
    });
  });

  describe('Knative Route traffic (canary, Knative mode)', () => {
    const route = 'canary-predictor';
    const traffic = [
      {
        revisionName: `${route}-00002`,
        latestRevision: true,
        percent: 20,
      },
      {
        revisionName: `${route}-00001`,
        latestRevision: false,
        percent: 80,
        tag: 'prev',
      },
    ];

    /** A Route as Knative would have it once its traffic is ready (written here by hand). */
    async function knativeRoute(name: string, status?: unknown) {
      await applyObjects(harness.kube.url, [tenantNamespace(NS)]);
      const [created] = await applyObjects(harness.kube.url, [
        {
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Route',
          metadata: { name, namespace: NS },
          spec: {
            traffic: traffic.map(({ revisionName, percent, tag }) => ({
              revisionName,
              percent,
              ...(tag ? { tag } : {}),
            })),
          },
        },
      ]);
      if (status === undefined) return created;
      const response = await fetch(
        `${harness.kube.url}/apis/serving.knative.dev/v1/namespaces/${NS}/routes/${name}/status`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...created, status }),
        },
      );
      expect(response.status).toBe(200);
      return (await response.json()) as KubeObject;
    }

    const storedTraffic = (name: string) =>
      (
        harness.kube.store.get('serving.knative.dev/v1', 'Route', NS, name) as
          | KubeObject
          | undefined
      )?.status?.traffic;

    beforeAll(async () => {
      const withTraffic = await knativeRoute(route, { traffic });
      const withoutTraffic = await knativeRoute('cold-predictor');
      await harness.publish([
        // The portal's Knative-mode shape: the Backend is the Route's
        // placeholder Service and the Host is rewritten to it.
        backend('canary', svc(route)),
        httpRoute('canary', {
          filters: [
            { type: 'URLRewrite', urlRewrite: { hostname: svc(route) } },
          ],
          backendRefs: [backendRef('canary')],
        }),
        backend('canary-prev', svc(`prev-${route}`)),
        httpRoute('canary-prev', {
          filters: [
            {
              type: 'URLRewrite',
              urlRewrite: { hostname: svc(`prev-${route}`) },
            },
          ],
          backendRefs: [backendRef('canary-prev')],
        }),
        httpRoute('canary-no-rewrite', {
          backendRefs: [backendRef('canary')],
        }),
        backend('cold', svc('cold-predictor')),
        httpRoute('cold', {
          filters: [
            {
              type: 'URLRewrite',
              urlRewrite: { hostname: svc('cold-predictor') },
            },
          ],
          backendRefs: [backendRef('cold')],
        }),
      ]);
      await harness.gateway.objects.waitForResourceVersion(
        'KnativeRoute',
        Math.max(
          Number(withTraffic.metadata.resourceVersion),
          Number(withoutTraffic.metadata.resourceVersion),
        ),
      );
    });

    it("splits by the Route's status.traffic, 80/20 within 5 points over 1,000 requests", async () => {
      // Written by hand above; no simulated controller may have changed it.
      expect(storedTraffic(route)).toEqual(traffic);
      const responses = await sendMany(harness, 'canary.inference-in-a-box');
      expect(responses.every(r => r.status === 200)).toBe(true);
      expectSplit(tally(responses), {
        [svc(`${route}-00001`)]: 80,
        [svc(`${route}-00002`)]: 20,
      });
      expect(storedTraffic(route)).toEqual(traffic);
    });

    it("sends a tag's host (`prev-<route>`) to that tag's revision only", async () => {
      const responses = await sendMany(
        harness,
        'canary-prev.inference-in-a-box',
        100,
      );
      expect(tally(responses)).toEqual({ [svc(`${route}-00001`)]: 100 });
    });

    it('answers 503 no healthy upstream for a Route without ready traffic (no placeholder Service yet)', async () => {
      const response = await sendOne(harness, 'cold.inference-in-a-box');
      expect(response.status).toBe(503);
      expect(response.text).toBe('no healthy upstream');
      expect(response.headers[SERVED_BY_HEADER]).toBeUndefined();
    });

    it("fails when the Host does not name the Route (the mesh VirtualService's match)", async () => {
      const response = await sendOne(
        harness,
        'canary-no-rewrite.inference-in-a-box',
      );
      expect(response.status).toBe(503);
      expect(response.headers[SERVED_BY_HEADER]).toBeUndefined();
    });
  });

  describe('AIGatewayRoute rule with two weighted AIServiceBackends', () => {
    const host = 'ai-split.inference-in-a-box';
    function aiBackend(name: string): KubeObject[] {
      return [
        backend(name, svc(`${name}-predictor`)),
        {
          apiVersion: 'aigateway.envoyproxy.io/v1beta1',
          kind: 'AIServiceBackend',
          metadata: { name, namespace: NS },
          spec: {
            schema: { name: 'OpenAI', prefix: '/openai/v1' },
            backendRef: backendRef(name),
          },
        },
      ];
    }
    function aiRoute(
      name: string,
      model: string,
      refs: Array<Record<string, unknown>>,
    ): KubeObject {
      return {
        apiVersion: 'aigateway.envoyproxy.io/v1beta1',
        kind: 'AIGatewayRoute',
        metadata: { name, namespace: NS },
        spec: {
          parentRefs,
          hostnames: [host],
          rules: [
            {
              matches: [
                {
                  headers: [
                    { type: 'Exact', name: 'x-ai-eg-model', value: model },
                  ],
                },
              ],
              backendRefs: refs,
            },
          ],
        },
      };
    }
    beforeAll(async () => {
      await harness.publish([
        ...aiBackend('ai-blue'),
        ...aiBackend('ai-green'),
        aiRoute('ai-split', 'chat', [
          { name: 'ai-blue', weight: 80, modelNameOverride: 'blue-model' },
          { name: 'ai-green', weight: 20, modelNameOverride: 'green-model' },
        ]),
        aiRoute('ai-priority', 'chat-priority', [
          { name: 'ai-blue', weight: 1, modelNameOverride: 'blue-model' },
          {
            name: 'ai-green',
            weight: 99,
            priority: 1,
            modelNameOverride: 'green-model',
          },
        ]),
      ]);
    });

    const chat = (model: string) => ({
      path: '/v1/chat/completions',
      body: { model, messages: [{ role: 'user', content: 'hi' }] },
    });

    it('splits 80/20 by weight within 5 points, the ext_proc translating for the backend Envoy picked', async () => {
      const responses = await sendMany(harness, host, REQUESTS, chat('chat'));
      expect(responses.every(r => r.status === 200)).toBe(true);
      expectSplit(tally(responses), {
        [svc('ai-blue-predictor')]: 80,
        [svc('ai-green-predictor')]: 20,
      });
      // modelNameOverride of the backend that served the request.
      for (const r of responses) {
        const model = (r.headers[SERVED_BY_HEADER] as string).startsWith(
          'ai-blue',
        )
          ? 'blue-model'
          : 'green-model';
        expect(r.text).toContain(`Mock reply from ${model}: hi`);
      }
    });

    it('sends nothing to a backend of a lower priority (higher number) while the first has hosts', async () => {
      const responses = await sendMany(
        harness,
        host,
        200,
        chat('chat-priority'),
      );
      expect(tally(responses)).toEqual({ [svc('ai-blue-predictor')]: 200 });
    });
  });

  describe('the served-by marker', () => {
    beforeAll(async () => {
      await harness.publish([
        backend('marker', svc('marker-predictor')),
        httpRoute('marker', { backendRefs: [backendRef('marker')] }),
      ]);
    });

    it('cannot be spoofed by the client', async () => {
      const response = await sendOne(harness, 'marker.inference-in-a-box', {
        headers: {
          [DESTINATION_HEADER]: svc('somebody-else'),
          [SERVED_BY_HEADER]: svc('somebody-else'),
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers[SERVED_BY_HEADER]).toBe(svc('marker-predictor'));
    });

    it("is on no local reply of the gateway's", async () => {
      const response = await sendOne(harness, 'nowhere.example', {
        headers: { [DESTINATION_HEADER]: svc('somebody-else') },
      });
      expect(response.status).toBe(404);
      expect(response.headers[SERVED_BY_HEADER]).toBeUndefined();
      expect(response.headers[DESTINATION_HEADER]).toBeUndefined();
    });
  });

  describe('backendRef-level filters (Envoy Gateway v1.9.0)', () => {
    /** The echo server's view of one request. */
    async function echoed(host: string, headers: Record<string, string> = {}) {
      const response = await sendOne(harness, host, { headers });
      expect(response.status).toBe(200);
      return {
        response,
        seen: JSON.parse(response.text) as {
          url: string;
          headers: Record<string, string>;
        },
      };
    }

    beforeAll(async () => {
      const blueFilters = [
        {
          type: 'URLRewrite',
          urlRewrite: {
            hostname: svc('echo-blue-predictor'),
            // Translated by Envoy Gateway, then dropped (route.go
            // applyWeightedClusterFilters keeps only a literal hostname).
            path: { type: 'ReplaceFullPath', replaceFullPath: '/elsewhere' },
          },
        },
        {
          type: 'RequestHeaderModifier',
          requestHeaderModifier: {
            set: [{ name: 'x-variant', value: 'blue' }],
            add: [{ name: 'x-trace', value: 'backend' }],
            remove: ['x-drop-me'],
          },
        },
        {
          type: 'ResponseHeaderModifier',
          responseHeaderModifier: {
            set: [{ name: 'x-served-variant', value: 'blue' }],
            remove: ['x-upstream-says'],
          },
        },
      ];
      await harness.publish([
        backend('echo-blue', svc('echo-blue-predictor')),
        backend('echo-green', svc('echo-green-predictor')),
        httpRoute('per-backend', {
          backendRefs: [backendRef('echo-blue', { filters: blueFilters })],
        }),
        // A rule-level hostname and header set too: Envoy applies the
        // route's after the weighted cluster's, so they win.
        httpRoute('both-levels', {
          filters: [
            {
              type: 'URLRewrite',
              urlRewrite: { hostname: svc('echo-green-predictor') },
            },
            {
              type: 'RequestHeaderModifier',
              requestHeaderModifier: {
                set: [{ name: 'x-variant', value: 'rule' }],
              },
            },
          ],
          backendRefs: [backendRef('echo-blue', { filters: blueFilters })],
        }),
        httpRoute('bad-backend-filter', {
          backendRefs: [
            backendRef('echo-blue', {
              filters: [
                {
                  type: 'RequestHeaderModifier',
                  requestHeaderModifier: {
                    set: [{ name: 'Host', value: 'x.example' }],
                  },
                },
              ],
            }),
          ],
        }),
        httpRoute('gone-with-sibling', {
          backendRefs: [
            backendRef('echo-blue', { weight: 50 }),
            backendRef('echo-gone', { weight: 50 }),
          ],
        }),
        backend('echo-gone', svc('echo-gone')),
      ]);
    });

    it('applies the hostname and header changes of the backendRef, not its path rewrite', async () => {
      const { response, seen } = await echoed(
        'per-backend.inference-in-a-box',
        { 'x-drop-me': '1', 'x-trace': 'client' },
      );
      expect(seen.url).toBe('/v2/health/ready');
      expect(seen.headers.host).toBe(svc('echo-blue-predictor'));
      // A weighted cluster's host_rewrite_literal appends no x-forwarded-host.
      expect(seen.headers['x-forwarded-host']).toBeUndefined();
      expect(seen.headers['x-variant']).toBe('blue');
      expect(seen.headers['x-trace']).toBe('client, backend');
      expect(seen.headers['x-drop-me']).toBeUndefined();
      expect(seen.headers[DESTINATION_HEADER]).toBe(svc('echo-blue-predictor'));
      expect(response.headers['x-served-variant']).toBe('blue');
      expect(response.headers['x-upstream-says']).toBeUndefined();
    });

    it("lets the rule's hostname and header set win over the backendRef's", async () => {
      const { seen } = await echoed('both-levels.inference-in-a-box');
      expect(seen.headers.host).toBe(svc('echo-green-predictor'));
      expect(seen.headers['x-forwarded-host']).toBe(svc('echo-blue-predictor'));
      expect(seen.headers['x-variant']).toBe('rule');
    });

    it('makes a backendRef whose filter Envoy Gateway refuses invalid: 500', async () => {
      const response = await sendOne(
        harness,
        'bad-backend-filter.inference-in-a-box',
      );
      expect(response.status).toBe(500);
      expect(response.text).toBe('');
    });

    it('sends everything to the backend whose name resolves when its sibling in the same cluster has no host', async () => {
      const responses = await sendMany(
        harness,
        'gone-with-sibling.inference-in-a-box',
        100,
      );
      expect(responses.every(r => r.status === 200)).toBe(true);
    });
  });
});

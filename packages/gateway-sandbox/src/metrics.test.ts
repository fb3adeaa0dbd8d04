import net, { AddressInfo } from 'node:net';
import { KubeObject } from './objects/types';
import { sendToGateway } from './__testUtils__/gatewayClient';
import { Harness, startHarness } from './__testUtils__/harness';
import {
  PublicationShape,
  decodedSecretKeys,
  loadGolden,
  openAiPublication,
} from './__testUtils__/kubeObjects';
import {
  Sample,
  samplesOf,
  scrape,
  valueOf,
} from './__testUtils__/prometheusText';

/** The last SSE event carrying `usage`, as a client reads it. */
function streamedUsage(text: string) {
  const events = text
    .split('\n')
    .filter(line => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map(line => JSON.parse(line.slice('data: '.length)));
  return events.filter(e => e.usage).at(-1).usage;
}

/** The input and output token sums recorded for one client and model. */
function tokenSums(samples: Sample[], labels: Record<string, string>) {
  const sum = (type: string) =>
    valueOf(samples, 'gen_ai_client_token_usage_sum', {
      ...labels,
      gen_ai_token_type: type,
    });
  return { input: sum('input'), output: sum('output') };
}

/** A loopback port nothing listens on (connections are refused). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

const REFUSED_HOST = 'refused.metrics-down.svc.cluster.local';
const UNRESOLVED_HOST = 'nowhere.metrics-none.svc.cluster.local';

/**
 * The double's metrics endpoints after real requests through the portal's
 * OpenAI publication (golden YAML), with the repository's Helm value
 * `x-inference-client-id:client.id` (configs/ai-gateway/ai-gateway.values.yaml).
 */
describe('metrics of the gateway double', () => {
  let harness: Harness;
  let genAi: () => Promise<Sample[]>;
  let envoy: () => Promise<Sample[]>;
  beforeAll(async () => {
    const refused = `http://127.0.0.1:${await closedPort()}`;
    harness = await startHarness({
      metricsRequestHeaderAttributes: 'x-inference-client-id:client.id',
      resolveBackend: (hostname, _port, modelServerUrl) => {
        if (hostname === UNRESOLVED_HOST) return undefined;
        return hostname === REFUSED_HOST ? refused : modelServerUrl;
      },
    });
    genAi = () => scrape(`${harness.gateway.metricsUrl}/metrics`);
    envoy = () => scrape(`${harness.gateway.metricsUrl}/stats/prometheus`);
  });
  afterAll(() => harness.close());

  const hcm = { envoy_http_conn_manager_prefix: 'http-10080' };
  const chatRequest = (
    host: string,
    model: string,
    apiKey: string | undefined,
    stream = false,
  ) =>
    sendToGateway(harness.gateway.url, {
      host,
      path: '/v1/chat/completions',
      headers: apiKey ? { 'x-api-key': apiKey } : {},
      body: {
        model,
        messages: [{ role: 'user', content: 'hello metrics' }],
        ...(stream ? { stream: true } : {}),
      },
    });

  describe('the golden OpenAI publication', () => {
    const host = 'llama31-8b-tenant-b.inference-in-a-box';
    const cluster = {
      envoy_cluster_name: 'httproute/tenant-b/llama31-8b/rule/0',
    };
    const models = {
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'openai',
      gen_ai_original_model: 'llama-3.1-8b',
      gen_ai_request_model: 'llama31-8b',
      gen_ai_response_model: 'llama31-8b',
    };
    let keys: Record<string, string>;
    beforeAll(async () => {
      const objects = loadGolden('openai-huggingface.yaml');
      keys = decodedSecretKeys(objects);
      await harness.publish(objects);
    });
    const chat = (apiKey: string | undefined, stream = false) =>
      chatRequest(host, 'llama-3.1-8b', apiKey, stream);

    it("records a non-streamed completion's input and output tokens under the key's client id", async () => {
      const response = await chat(keys['ci-7k2p']);
      expect(response.status).toBe(200);
      const usage = JSON.parse(response.text).usage;
      expect(usage.prompt_tokens).toBeGreaterThan(0);
      expect(usage.completion_tokens).toBeGreaterThan(0);

      const samples = await genAi();
      const client = { client_id: 'ci-7k2p', ...models };
      expect(tokenSums(samples, client)).toEqual({
        input: usage.prompt_tokens,
        output: usage.completion_tokens,
      });
      // Exactly the labels the ext_proc's Prometheus exporter writes.
      expect(
        samplesOf(samples, 'gen_ai_client_token_usage_count', {
          client_id: 'ci-7k2p',
          gen_ai_token_type: 'input',
        }).map(s => s.labels),
      ).toEqual([
        {
          ...client,
          gen_ai_token_type: 'input',
          otel_scope_name: 'envoyproxy/ai-gateway',
          otel_scope_schema_url: '',
          otel_scope_version: '',
        },
      ]);
      // No usage without details of cached or reasoning tokens, and no
      // time to first token for an answer that is not streamed.
      expect(
        samplesOf(samples, 'gen_ai_client_token_usage_count', {
          client_id: 'ci-7k2p',
        }).map(s => s.labels.gen_ai_token_type),
      ).toEqual(['input', 'output']);
      expect(
        samplesOf(samples, 'gen_ai_server_time_to_first_token_seconds_count', {
          client_id: 'ci-7k2p',
        }),
      ).toEqual([]);
    });

    it("records a streamed completion's usage from its last event, its time to first token and time per output token", async () => {
      const response = await chat(keys['laptop-9x4q'], true);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/event-stream');
      const usage = streamedUsage(response.text);
      expect(usage.completion_tokens).toBeGreaterThan(1);

      const samples = await genAi();
      const client = { client_id: 'laptop-9x4q', ...models };
      expect(tokenSums(samples, client)).toEqual({
        input: usage.prompt_tokens,
        output: usage.completion_tokens,
      });
      for (const name of [
        'gen_ai_server_time_to_first_token_seconds_count',
        'gen_ai_server_time_per_output_token_seconds_count',
        'gen_ai_server_request_duration_seconds_count',
      ])
        expect(valueOf(samples, name, client)).toBe(1);
      expect(
        valueOf(
          samples,
          'gen_ai_server_time_to_first_token_seconds_sum',
          client,
        ),
      ).toBeLessThanOrEqual(
        valueOf(samples, 'gen_ai_server_request_duration_seconds_sum', client),
      );
    });

    it('counts every completion in the request duration, and the upstream request on the route cluster by code and class', async () => {
      const labels = { client_id: 'ci-7k2p', ...models };
      const [genAiBefore, envoyBefore] = [await genAi(), await envoy()];
      expect((await chat(keys['ci-7k2p'])).status).toBe(200);
      const [genAiAfter, envoyAfter] = [await genAi(), await envoy()];

      const delta =
        (before: Sample[], after: Sample[]) =>
        (name: string, l: Record<string, string>) =>
          valueOf(after, name, l) - valueOf(before, name, l);
      const genAiDelta = delta(genAiBefore, genAiAfter);
      expect(
        genAiDelta('gen_ai_server_request_duration_seconds_count', labels),
      ).toBe(1);
      expect(
        genAiDelta('gen_ai_server_request_duration_seconds_sum', labels),
      ).toBeGreaterThan(0);

      const envoyDelta = delta(envoyBefore, envoyAfter);
      expect(envoyDelta('envoy_cluster_upstream_rq_total', cluster)).toBe(1);
      expect(envoyDelta('envoy_cluster_upstream_rq_completed', cluster)).toBe(
        1,
      );
      expect(
        envoyDelta('envoy_cluster_upstream_rq', {
          envoy_response_code: '200',
          ...cluster,
        }),
      ).toBe(1);
      expect(
        envoyDelta('envoy_cluster_upstream_rq_xx', {
          envoy_response_code_class: '2',
          ...cluster,
        }),
      ).toBe(1);
      expect(envoyDelta('envoy_cluster_upstream_rq_time_count', cluster)).toBe(
        1,
      );
      expect(
        envoyDelta('envoy_http_downstream_rq_xx', {
          envoy_response_code_class: '2',
          ...hcm,
        }),
      ).toBe(1);
      expect(envoyDelta('envoy_http_downstream_rq_total', hcm)).toBe(1);
    });

    it('counts a 401 of api_key_auth downstream only: no cluster code, no GenAI metric', async () => {
      const [genAiBefore, envoyBefore] = [await genAi(), await envoy()];
      const response = await chat(undefined);
      expect(response.status).toBe(401);
      const [genAiAfter, envoyAfter] = [await genAi(), await envoy()];

      const downstream4xx = { envoy_response_code_class: '4', ...hcm };
      expect(
        valueOf(envoyAfter, 'envoy_http_downstream_rq_xx', downstream4xx) -
          valueOf(envoyBefore, 'envoy_http_downstream_rq_xx', downstream4xx),
      ).toBe(1);
      expect(
        samplesOf(envoyAfter, 'envoy_cluster_upstream_rq', {
          envoy_response_code: '401',
        }),
      ).toEqual([]);
      expect(
        samplesOf(envoyAfter, 'envoy_cluster_upstream_rq_xx', {
          envoy_response_code_class: '4',
          ...cluster,
        }),
      ).toEqual([]);
      const durations = (samples: Sample[]) =>
        samplesOf(samples, 'gen_ai_server_request_duration_seconds_count')
          .map(s => s.value)
          .reduce((a, b) => a + b, 0);
      expect(durations(genAiAfter)).toBe(durations(genAiBefore));
    });
  });

  describe('a publication limited to one request a minute', () => {
    const shape: PublicationShape = {
      namespace: 'metrics-rl',
      name: 'rl-pub',
      hostname: 'rl.inference-in-a-box',
      model: 'rl-model',
      apiKey: 'sk-metrics-rl',
    };
    const cluster = {
      envoy_cluster_name: 'httproute/metrics-rl/rl-pub/rule/0',
    };
    beforeAll(async () => {
      const objects: KubeObject[] = openAiPublication(shape);
      const policy = objects.find(o => o.kind === 'BackendTrafficPolicy')!;
      policy.spec.rateLimit.global.rules[0].limit.requests = 1;
      await harness.publish(objects);
    });

    it('counts the 429 as ratelimit over_limit and as a 429 of the route cluster and downstream', async () => {
      const envoyBefore = await envoy();
      const send = () => chatRequest(shape.hostname, shape.model, shape.apiKey);
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(429);
      const [samples, genAiSamples] = [await envoy(), await genAi()];

      expect(valueOf(samples, 'envoy_cluster_ratelimit_ok', cluster)).toBe(1);
      expect(
        valueOf(samples, 'envoy_cluster_ratelimit_over_limit', cluster),
      ).toBe(1);
      expect(
        valueOf(samples, 'envoy_cluster_upstream_rq', {
          envoy_response_code: '429',
          ...cluster,
        }),
      ).toBe(1);
      expect(
        valueOf(samples, 'envoy_cluster_upstream_rq_xx', {
          envoy_response_code_class: '4',
          ...cluster,
        }),
      ).toBe(1);
      expect(
        valueOf(samples, 'envoy_cluster_upstream_rq', {
          envoy_response_code: '200',
          ...cluster,
        }),
      ).toBe(1);
      // The refused request never reached the upstream.
      expect(valueOf(samples, 'envoy_cluster_upstream_rq_total', cluster)).toBe(
        1,
      );
      expect(
        valueOf(samples, 'envoy_cluster_upstream_rq_completed', cluster),
      ).toBe(2);
      const downstream4xx = { envoy_response_code_class: '4', ...hcm };
      expect(
        valueOf(samples, 'envoy_http_downstream_rq_xx', downstream4xx) -
          valueOf(envoyBefore, 'envoy_http_downstream_rq_xx', downstream4xx),
      ).toBe(1);
      // Nor the ext_proc's upstream filter: one GenAI request only.
      expect(
        valueOf(genAiSamples, 'gen_ai_server_request_duration_seconds_count', {
          client_id: 'client-rl-pub',
        }),
      ).toBe(1);
    });
  });

  describe('the access log counts (the collector of configs/envoy-gateway/access-log-collector.yaml)', () => {
    const shape: PublicationShape = {
      namespace: 'metrics-al',
      name: 'al-pub',
      hostname: 'al.inference-in-a-box',
      model: 'al-model',
      apiKey: 'sk-metrics-al',
    };
    const accessLog = () =>
      scrape(`${harness.gateway.metricsUrl}/otel-collector/metrics`);
    const family = 'gateway_access_requests_total';
    beforeAll(async () => {
      const objects: KubeObject[] = openAiPublication(shape);
      const policy = objects.find(o => o.kind === 'BackendTrafficPolicy')!;
      policy.spec.rateLimit.global.rules[0].limit.requests = 1;
      await harness.publish(objects);
    });

    it('counts every answer, local replies included, per code, route and key id', async () => {
      const send = (apiKey?: string) =>
        chatRequest(shape.hostname, shape.model, apiKey);
      const statuses = [
        (await send(shape.apiKey)).status,
        (await send(shape.apiKey)).status,
        (await send(shape.apiKey)).status,
        (await send()).status,
        (await send('sk-wrong')).status,
      ];
      expect(statuses).toEqual([200, 429, 429, 401, 401]);
      const samples = samplesOf(await accessLog(), family).filter(s =>
        s.labels.route_name.startsWith('httproute/metrics-al/'),
      );
      // Envoy Gateway's route name: rule, match and the hostname with `.` -> `_`.
      for (const sample of samples)
        expect(sample.labels.route_name).toMatch(
          /^httproute\/metrics-al\/al-pub\/rule\/[0-9]+\/match\/-?[0-9]+\/al_inference-in-a-box$/,
        );
      const byCode = (code: string) =>
        samples
          .filter(s => s.labels.response_code === code)
          .map(s => [s.labels.client_id, s.value]);
      // The client id only once api_key_auth accepted the key: not for the 401s.
      expect(byCode('200')).toEqual([['client-al-pub', 1]]);
      expect(byCode('429')).toEqual([['client-al-pub', 2]]);
      expect(byCode('401')).toEqual([['-', 2]]);
    });

    it('counts a request no route matched under route `-`, in the exporter text format', async () => {
      const before = await accessLog();
      const notFound = {
        client_id: '-',
        response_code: '404',
        route_name: '-',
      };
      const count = (samples: Sample[]) =>
        samplesOf(samples, family, notFound).reduce((n, s) => n + s.value, 0);
      const answer = await sendToGateway(harness.gateway.url, {
        host: 'no-such-host.example',
        path: '/v1/chat/completions',
        body: {},
      });
      expect(answer.status).toBe(404);
      const after = await accessLog();
      expect(count(after) - count(before)).toBe(1);
      const text = await (
        await fetch(`${harness.gateway.metricsUrl}/otel-collector/metrics`)
      ).text();
      expect(text).toMatch(
        /^# HELP gateway_access_requests_total .+\n# TYPE gateway_access_requests_total counter\n/,
      );
      expect(text).toContain(
        'gateway_access_requests_total{client_id="-",response_code="404",route_name="-"} ',
      );
    });
  });

  describe.each([
    {
      case: 'refuses connections',
      hostname: REFUSED_HOST,
      name: 'down-pub',
      noneHealthy: 0,
    },
    {
      case: 'has no healthy upstream',
      hostname: UNRESOLVED_HOST,
      name: 'none-pub',
      noneHealthy: 1,
    },
  ])('a publication whose backend $case', ({ hostname, name, noneHealthy }) => {
    const shape: PublicationShape = {
      namespace: `metrics-${name}`,
      name,
      hostname: `${name}.inference-in-a-box`,
      model: `${name}-model`,
      apiKey: `sk-metrics-${name}`,
    };
    const cluster = {
      envoy_cluster_name: `httproute/metrics-${name}/${name}/rule/0`,
    };
    beforeAll(async () => {
      const objects: KubeObject[] = openAiPublication(shape);
      const backend = objects.find(o => o.kind === 'Backend')!;
      backend.spec.endpoints[0].fqdn.hostname = hostname;
      await harness.publish(objects);
    });

    it("charges the router's 503 to the cluster, without an upstream request, time or GenAI metric", async () => {
      const response = await chatRequest(
        shape.hostname,
        shape.model,
        shape.apiKey,
      );
      expect(response.status).toBe(503);
      const [samples, genAiSamples] = [await envoy(), await genAi()];
      expect(
        valueOf(samples, 'envoy_cluster_upstream_rq', {
          envoy_response_code: '503',
          ...cluster,
        }),
      ).toBe(1);
      expect(
        valueOf(samples, 'envoy_cluster_upstream_rq_xx', {
          envoy_response_code_class: '5',
          ...cluster,
        }),
      ).toBe(1);
      expect(
        valueOf(samples, 'envoy_cluster_upstream_cx_none_healthy', cluster),
      ).toBe(noneHealthy);
      expect(
        samplesOf(samples, 'envoy_cluster_upstream_rq_total', cluster),
      ).toEqual([]);
      expect(
        samplesOf(samples, 'envoy_cluster_upstream_rq_time_count', cluster),
      ).toEqual([]);
      expect(
        samplesOf(
          genAiSamples,
          'gen_ai_server_request_duration_seconds_count',
          {
            client_id: `client-${name}`,
          },
        ),
      ).toEqual([]);
    });
  });

  it('serves only GET /metrics, /stats/prometheus and /otel-collector/metrics on the metrics port', async () => {
    const base = harness.gateway.metricsUrl;
    expect((await fetch(`${base}/stats`)).status).toBe(404);
    expect(
      (await fetch(`${base}/stats/prometheus`, { method: 'POST' })).status,
    ).toBe(404);
    expect(harness.gateway.metricsPort).not.toBe(harness.gateway.port);
    const text = await (await fetch(`${base}/stats/prometheus`)).text();
    expect(text).toContain('# TYPE envoy_http_downstream_rq_xx counter\n');
  });
});

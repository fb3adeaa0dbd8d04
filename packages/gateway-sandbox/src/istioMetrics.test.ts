import { sklearnInferenceServicesIn } from '@internal/kube-sandbox';
import { KSERVE_PREDICTORS_METRICS_PATH } from './metrics/istioStats';
import { SERVED_BY_HEADER } from './proxy/forward';
import { GatewayResponse, sendToGateway } from './__testUtils__/gatewayClient';
import { Harness, startHarness } from './__testUtils__/harness';
import { applyObjects } from './__testUtils__/kubeApi';
import {
  PublicationShape,
  openAiPublication,
  routeObjectsIn,
  tenantNamespace,
} from './__testUtils__/kubeObjects';
import { Sample, samplesOf, scrape } from './__testUtils__/prometheusText';

/**
 * The model pods' Istio request metrics (metrics/istioStats.ts) after real requests through the
 * double: a Knative-mode model mid-canary and a Standard-mode model with a blue-green candidate,
 * both deployed by the kube-sandbox's simulated KServe, their new side serving from
 * `gs://serving-errors/...` (the kube-sandbox's fault: Ready, every inference request 500). Each
 * answer says which destination served it (the mock model server's served-by marker), so the
 * counts per workload and response code are known exactly.
 */

jest.setTimeout(60_000);

const NS = 'tenant-istio';
const ISVC = 'serving.kserve.io/v1beta1';
const REQUESTS = 200;
const svc = (name: string) => `${name}.${NS}.svc.cluster.local`;

/** Envoy's default buckets (source/common/stats/histogram_impl.cc), which Istio keeps. */
const ENVOY_BUCKETS = [
  '0.5',
  '1',
  '5',
  '10',
  '25',
  '50',
  '100',
  '250',
  '500',
  '1000',
  '2500',
  '5000',
  '10000',
  '30000',
  '60000',
  '300000',
  '600000',
  '1800000',
  '3600000',
  '+Inf',
];

const { backend, backendRef, httpRoute } = routeObjectsIn(NS);

const inferenceService = sklearnInferenceServicesIn(NS);

/** Polls until `read` gives something (the simulated controllers are asynchronous). */
async function eventually<T>(read: () => T | undefined): Promise<T> {
  for (const deadline = Date.now() + 20_000; ; ) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** How many answers each (served-by, status) pair got. */
function tally(responses: GatewayResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of responses) {
    const key = `${r.headers[SERVED_BY_HEADER] ?? '-'} ${r.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The counter's samples as `<workload> <code>` -> value, for the test's namespace. */
function requestCounts(samples: Sample[]): Record<string, number> {
  return Object.fromEntries(
    samplesOf(samples, 'istio_requests_total', {
      destination_workload_namespace: NS,
    }).map(s => [
      `${s.labels.destination_workload} ${s.labels.response_code}`,
      s.value,
    ]),
  );
}

/** The histogram's `_count` samples the same way. */
function durationCounts(samples: Sample[]): Record<string, number> {
  return Object.fromEntries(
    samplesOf(samples, 'istio_request_duration_milliseconds_count', {
      destination_workload_namespace: NS,
    }).map(s => [
      `${s.labels.destination_workload} ${s.labels.response_code}`,
      s.value,
    ]),
  );
}

describe("the model pods' Istio request metrics (reporter=destination)", () => {
  let harness: Harness;
  const scrapeIstio = () =>
    scrape(`${harness.gateway.metricsUrl}${KSERVE_PREDICTORS_METRICS_PATH}`);

  const isvcOf = (name: string) =>
    harness.kube.store.get(ISVC, 'InferenceService', NS, name);
  const whenReady = (name: string) =>
    eventually(() =>
      (isvcOf(name)?.status as any)?.conditions?.some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      )
        ? true
        : undefined,
    );

  /** `count` inference requests (KServe v1 predict) to `host`, 20 in flight. */
  async function predictMany(host: string, model: string, count = REQUESTS) {
    const predict = () =>
      sendToGateway(harness.gateway.url, {
        host,
        path: `/v1/models/${model}:predict`,
        body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
      });
    const responses: GatewayResponse[] = [];
    for (let sent = 0; sent < count; sent += 20) {
      const batch = Array.from({ length: Math.min(20, count - sent) }, predict);
      responses.push(...(await Promise.all(batch)));
    }
    return responses;
  }

  beforeAll(async () => {
    harness = await startHarness();
    await applyObjects(harness.kube.url, [tenantNamespace(NS)]);
  });
  afterAll(() => harness.close());

  it("serves nothing before the first request, in Envoy's text format", async () => {
    const response = await fetch(
      `${harness.gateway.metricsUrl}${KSERVE_PREDICTORS_METRICS_PATH}`,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  describe('a Knative-mode model mid-canary (30 % on a revision whose model server fails)', () => {
    const route = 'kn-predictor';
    const v1 = `${route}-00001`;
    const v2 = `${route}-00002`;
    let responses: GatewayResponse[];
    let samples: Sample[];

    beforeAll(async () => {
      await applyObjects(harness.kube.url, [
        inferenceService('kn', 'Knative', 'gs://bucket/iris/v1'),
      ]);
      await whenReady('kn');
      await applyObjects(harness.kube.url, [
        inferenceService('kn', 'Knative', 'gs://serving-errors/iris/v2', {
          canaryTrafficPercent: 30,
        }),
      ]);
      // The Route's status.traffic as Knative reports the canary once v2 is Ready.
      const knativeRoute = await eventually(() => {
        const found = harness.kube.store.get(
          'serving.knative.dev/v1',
          'Route',
          NS,
          route,
        );
        const traffic: any[] = (found?.status as any)?.traffic ?? [];
        return traffic.some(t => t.revisionName === v2 && t.percent === 30) &&
          traffic.some(t => t.revisionName === v1 && t.percent === 70)
          ? found
          : undefined;
      });
      // The portal's Knative-mode shape: the Route's placeholder Service, Host rewritten to it.
      await harness.publish([
        backend('kn', svc(route)),
        httpRoute('kn', {
          filters: [
            { type: 'URLRewrite', urlRewrite: { hostname: svc(route) } },
          ],
          backendRefs: [backendRef('kn')],
        }),
      ]);
      await harness.gateway.objects.waitForResourceVersion(
        'KnativeRoute',
        knativeRoute!.metadata.resourceVersion!,
      );
      responses = await predictMany('kn.inference-in-a-box', 'kn');
      samples = await scrapeIstio();
    });

    it('reached both revisions, the canary answering 500', () => {
      const counts = tally(responses);
      expect(Object.keys(counts).sort()).toEqual([
        `${svc(v1)} 200`,
        `${svc(v2)} 500`,
      ]);
      expect(counts[`${svc(v2)} 500`]).toBeGreaterThan(20);
    });

    it("counts each revision's requests under its Deployment, by response code", () => {
      const counts = tally(responses);
      const expected = {
        [`${v1}-deployment 200`]: counts[`${svc(v1)} 200`],
        [`${v2}-deployment 500`]: counts[`${svc(v2)} 500`],
      };
      expect(requestCounts(samples)).toEqual(expected);
      expect(durationCounts(samples)).toEqual(expected);
    });

    it('labels them as the destination sidecar reports them', () => {
      const canary = samplesOf(samples, 'istio_requests_total', {
        destination_workload: `${v2}-deployment`,
      });
      expect(canary).toHaveLength(1);
      for (const s of canary)
        expect(s.labels).toEqual({
          reporter: 'destination',
          destination_workload: `${v2}-deployment`,
          destination_workload_namespace: NS,
          request_protocol: 'http',
          response_code: '500',
        });
    });

    it("observes each duration in Envoy's default buckets, cumulative up to +Inf = _count", () => {
      for (const workload of [`${v1}-deployment`, `${v2}-deployment`]) {
        const buckets = samplesOf(
          samples,
          'istio_request_duration_milliseconds_bucket',
          { destination_workload: workload },
        );
        expect(buckets.map(b => b.labels.le)).toEqual(ENVOY_BUCKETS);
        const values = buckets.map(b => b.value);
        expect(values).toEqual([...values].sort((a, b) => a - b));
        const [count] = samplesOf(
          samples,
          'istio_request_duration_milliseconds_count',
          { destination_workload: workload },
        );
        expect(values.at(-1)).toBe(count.value);
        // Loopback answers: every one within a second.
        expect(buckets.find(b => b.labels.le === '1000')!.value).toBe(
          count.value,
        );
        const [sum] = samplesOf(
          samples,
          'istio_request_duration_milliseconds_sum',
          { destination_workload: workload },
        );
        expect(sum.value).toBeGreaterThanOrEqual(0);
        expect(sum.value).toBeLessThanOrEqual(1000 * count.value);
      }
    });
  });

  describe('a Standard-mode model with a blue-green candidate (25 %) whose model server fails', () => {
    let responses: GatewayResponse[];

    beforeAll(async () => {
      await applyObjects(harness.kube.url, [
        inferenceService('std', 'Standard', 'gs://bucket/std'),
        inferenceService('std-canary', 'Standard', 'gs://serving-errors/std'),
      ]);
      await Promise.all([whenReady('std'), whenReady('std-canary')]);
      await harness.publish([
        backend('std', svc('std-predictor')),
        backend('std-canary', svc('std-canary-predictor')),
        httpRoute('std', {
          backendRefs: [
            backendRef('std', { weight: 75 }),
            backendRef('std-canary', { weight: 25 }),
          ],
        }),
      ]);
      responses = await predictMany('std.inference-in-a-box', 'std');
    });

    it('counts the predictor and the candidate under their Deployments, by response code', async () => {
      const counts = tally(responses);
      expect(Object.keys(counts).sort()).toEqual([
        `${svc('std-canary-predictor')} 500`,
        `${svc('std-predictor')} 200`,
      ]);
      const samples = await scrapeIstio();
      const expected = {
        'std-predictor 200': counts[`${svc('std-predictor')} 200`],
        'std-canary-predictor 500':
          counts[`${svc('std-canary-predictor')} 500`],
      };
      const standardOnly = (all: Record<string, number>) =>
        Object.fromEntries(
          Object.entries(all).filter(([key]) => key.startsWith('std')),
        );
      expect(standardOnly(requestCounts(samples))).toEqual(expected);
      expect(standardOnly(durationCounts(samples))).toEqual(expected);
    });
  });

  describe("the gateway's local replies", () => {
    const shape: PublicationShape = {
      namespace: NS,
      name: 'keyed',
      hostname: 'keyed.inference-in-a-box',
      model: 'keyed-model',
      apiKey: 'sk-istio-metrics',
    };
    const chat = (apiKey?: string) =>
      sendToGateway(harness.gateway.url, {
        host: shape.hostname,
        path: '/v1/chat/completions',
        headers: apiKey ? { 'x-api-key': apiKey } : {},
        body: {
          model: shape.model,
          messages: [{ role: 'user', content: 'hello' }],
        },
      });
    const keyedCounts = async () =>
      samplesOf(await scrapeIstio(), 'istio_requests_total', {
        destination_workload: 'keyed-predictor',
      }).map(s => [s.labels.response_code, s.value]);

    beforeAll(async () => {
      const objects = openAiPublication(shape);
      // One request a minute: the second is the rate limit's 429.
      const policy = objects.find(o => o.kind === 'BackendTrafficPolicy')!;
      policy.spec.rateLimit.global.rules[0].limit.requests = 1;
      await harness.publish(objects);
    });

    it('are not counted: 401 without a key, 429 over the limit, 404 without a route', async () => {
      expect((await chat()).status).toBe(401);
      expect(
        (
          await sendToGateway(harness.gateway.url, {
            host: 'nowhere.inference-in-a-box',
            path: '/v1/models/x:predict',
            body: {},
          })
        ).status,
      ).toBe(404);
      expect(await keyedCounts()).toEqual([]);
      expect((await chat(shape.apiKey)).status).toBe(200);
      expect((await chat(shape.apiKey)).status).toBe(429);
      expect(await keyedCounts()).toEqual([['200', 1]]);
    });
  });
});

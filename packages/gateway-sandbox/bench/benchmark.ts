/* eslint-disable no-console */
// What the gateway double adds to a request, against a baseline measured in the same run: the
// same requests sent straight to the mock model server it forwards to (run: yarn workspace
// @internal/gateway-sandbox bench). Not a test: it prints figures.
//
// 1. Latency, one request at a time: median and p95 through the double and directly.
// 2. Throughput, 16 requests in flight for a few seconds: requests per second both ways.
// The portal's golden publications (a predictive and an OpenAI model) are served with their API-key
// check; their rate limits are raised out of reach so that every request is forwarded.
import os from 'node:os';
import {
  GatewayResponse,
  sendToGateway,
} from '../src/__testUtils__/gatewayClient';
import { startHarness } from '../src/__testUtils__/harness';
import {
  decodedSecretKeys,
  loadGolden,
} from '../src/__testUtils__/kubeObjects';
import { KubeObject } from '../src/objects/types';

const RUNS = Number(process.env.BENCH_RUNS ?? 501);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const IN_FLIGHT = 16;

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];

/** A golden publication whose rate limits never refuse. */
function withoutReachableLimits(objects: KubeObject[]): KubeObject[] {
  return objects.map(o => {
    if (o.kind !== 'BackendTrafficPolicy') return o;
    const spec = o.spec as {
      rateLimit: { global: { rules: { limit: { requests: number } }[] } };
    };
    for (const rule of spec.rateLimit.global.rules) {
      rule.limit.requests = 1_000_000_000;
    }
    return o;
  });
}

interface Target {
  name: string;
  viaGateway: () => Promise<GatewayResponse>;
  direct: () => Promise<GatewayResponse>;
}

async function latencies(send: () => Promise<GatewayResponse>) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const response = await send();
    times.push(performance.now() - start);
    if (response.status !== 200) {
      throw new Error(`answer ${response.status}: ${response.text}`);
    }
  }
  return times;
}

async function throughput(send: () => Promise<GatewayResponse>) {
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < end) {
      await send();
      done++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return done / SECONDS;
}

async function main() {
  const harness = await startHarness();
  const predictive = withoutReachableLimits(loadGolden('predictive.yaml'));
  const openai = withoutReachableLimits(loadGolden('openai-huggingface.yaml'));
  await harness.publish([...predictive, ...openai]);
  const keyOf = (objects: KubeObject[]) =>
    Object.values(decodedSecretKeys(objects))[0];
  const model = harness.kube.modelServerUrl!; // the harness starts it
  const gateway = harness.gateway.url;
  const iris = { instances: [[6.8, 2.8, 4.8, 1.4]] };
  const chat = (name: string) => ({
    model: name,
    messages: [{ role: 'user', content: 'hello' }],
  });

  const targets: Target[] = [
    {
      name: 'KServe v1 predict (HTTPRoute)',
      viaGateway: () =>
        sendToGateway(gateway, {
          host: 'api.router.inference-in-a-box',
          path: '/models/tenant-a/sklearn-iris/v1/models/sklearn-iris:predict',
          headers: { 'x-api-key': keyOf(predictive) },
          body: iris,
        }),
      direct: () =>
        sendToGateway(model, {
          host: 'sklearn-iris-predictor.tenant-a.svc.cluster.local',
          path: '/v1/models/sklearn-iris:predict',
          body: iris,
        }),
    },
    {
      name: 'OpenAI chat (AIGatewayRoute)',
      viaGateway: () =>
        sendToGateway(gateway, {
          host: 'llama31-8b-tenant-b.inference-in-a-box',
          path: '/v1/chat/completions',
          headers: { 'x-api-key': keyOf(openai) },
          body: chat('llama-3.1-8b'),
        }),
      direct: () =>
        sendToGateway(model, {
          host: 'llama31-8b-predictor.tenant-b.svc.cluster.local',
          path: '/openai/v1/chat/completions',
          body: chat('llama31-8b'),
        }),
    },
  ];

  console.log(
    `\nGateway double benchmarks (${RUNS} sequential requests, then ${IN_FLIGHT} in flight for ${SECONDS} s; loopback, ${os.availableParallelism()} cores, ${
      os.cpus()[0]?.model ?? 'unknown CPU'
    })\n`,
  );
  for (const target of targets) {
    const via = await latencies(target.viaGateway);
    const direct = await latencies(target.direct);
    const viaRate = await throughput(target.viaGateway);
    const directRate = await throughput(target.direct);
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    console.log(target.name);
    console.log(
      `   latency median / p95, through the double  ${ms(
        percentile(via, 0.5),
      )} / ${ms(percentile(via, 0.95))}`,
    );
    console.log(
      `   latency median / p95, model directly      ${ms(
        percentile(direct, 0.5),
      )} / ${ms(percentile(direct, 0.95))}`,
    );
    console.log(
      `   added by the double (median)              +${ms(
        percentile(via, 0.5) - percentile(direct, 0.5),
      )}`,
    );
    console.log(
      `   throughput, through the double / directly ${viaRate.toFixed(
        0,
      )} / ${directRate.toFixed(0)} requests/s (ratio ${(
        viaRate / directRate
      ).toFixed(2)})\n`,
    );
  }
  await harness.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

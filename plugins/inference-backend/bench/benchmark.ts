/* eslint-disable no-console */
// Benchmarks of the inference backend against the Kubernetes sandbox, each against a baseline
// measured in the same run on the same sandbox (run: yarn workspace
// @inference-in-a-box/backstage-plugin-inference-backend bench). Not a test: it prints figures.
//
// 1. Publish an OpenAI model (all its objects) through the backend vs `kubectl apply --server-side`
//    of the same objects.
// 2. List 5,000 models in 50 namespaces through the backend vs `kubectl get isvc -A -o json`,
//    with the backend process's peak memory.
// 3. Test invocation through the backend vs calling the mock model server directly.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  apiAs,
  startInferenceTestBackend,
} from '@internal/inference-test-utils';
import { inferencePlugin } from '../src/plugin';
import { median, runBenchmark, UNCAPPED } from './benchKit';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const MODELS = Number(process.env.BENCH_MODELS ?? 5000);
const NAMESPACES = 50;

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function main() {
  const namespaces = Array.from(
    { length: NAMESPACES },
    (_, i) => `bench-${String(i).padStart(2, '0')}`,
  );
  // Each bench namespace is a tenant in the catalog, so the backend lists its models.
  const benchTenants = namespaces.map(ns => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: ns,
      namespace: 'default',
      annotations: { 'inference.platform.io/namespace': ns },
    },
    spec: { type: 'tenant', children: [] },
  }));
  const backend = await startInferenceTestBackend(inferencePlugin, {
    readyDelayMs: 10,
    entities: benchTenants,
    // The benchmark measures the backend, not the per-user caps on a burst of calls.
    config: { rateCaps: UNCAPPED },
  });
  const { sandbox } = backend;
  const dir = mkdtempSync(join(tmpdir(), 'inference-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sandbox.kubeconfig());
  // Asynchronous: the sandbox serves kubectl from this very process.
  const kubectl = (...args: string[]) =>
    promisify(execFile)(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { maxBuffer: 1 << 30 },
    );
  const api = apiAs(backend, 'platform-admin');
  const auth = mockCredentials.user.header('user:default/platform-admin');

  // --- 1. Publish ---------------------------------------------------------------------------
  await api.createReadyModel('tenant-a', {
    name: 'bench-llm',
    framework: 'huggingface',
    storageUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct',
    modelType: 'openai',
  });
  const path = '/models/local/tenant-a/bench-llm/publication';
  const body = {
    publicModelName: 'bench-llm',
    auth: { apiKey: true },
    limits: {
      requestsPerMinute: 60,
      requestsPerHour: 3600,
      tokensPerHour: 100000,
    },
  };
  const plan = await api.put(`${path}?dryRun=true`, body);
  if (plan.status !== 200)
    throw new Error(`dry run failed: ${JSON.stringify(plan.body)}`);
  const objectCount = plan.body.changes.length;

  const backendPublish: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    backendPublish.push(
      await time(async () => {
        const response = await api.put(path, body);
        if (response.status !== 200)
          throw new Error(JSON.stringify(response.body));
      }),
    );
    await api.delete(path);
  }
  // The same objects, as the backend wrote them, for kubectl.
  await api.put(path, body);
  const labelled = sandbox.store
    .list('v1', 'Secret', 'tenant-a')
    .concat(
      ...['SecurityPolicy', 'BackendTrafficPolicy', 'Backend'].map(k =>
        sandbox.store.list('gateway.envoyproxy.io/v1alpha1', k, 'tenant-a'),
      ),
    )
    .concat(
      ...['AIServiceBackend', 'AIGatewayRoute'].map(k =>
        sandbox.store.list('aigateway.envoyproxy.io/v1beta1', k, 'tenant-a'),
      ),
    )
    .concat(
      sandbox.store.list(
        'security.istio.io/v1',
        'AuthorizationPolicy',
        'tenant-a',
      ),
    )
    .filter(
      o => o.metadata.labels?.['inference.platform.io/model'] === 'bench-llm',
    )
    .map(o => {
      const {
        managedFields,
        resourceVersion,
        uid,
        creationTimestamp,
        generation,
        ...metadata
      } = o.metadata;
      const { status, ...rest } = o as Record<string, unknown>;
      return { ...rest, metadata: { ...metadata, name: `${metadata.name}-k` } };
    });
  await api.delete(path);
  const manifest = join(dir, 'publication.yaml');
  writeFileSync(manifest, labelled.map(o => stringify(o)).join('---\n'));
  await kubectl('apply', '--server-side', '-f', manifest); // warm kubectl's discovery cache, as a user's would be
  await kubectl('delete', '-f', manifest, '--wait=false');
  const kubectlApply: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    kubectlApply.push(
      await time(() =>
        kubectl(
          'apply',
          '--server-side',
          '--field-manager=bench',
          '-f',
          manifest,
        ),
      ),
    );
    await kubectl('delete', '-f', manifest, '--wait=false');
  }

  // --- 2. List ----------------------------------------------------------------------------
  const isvc = (ns: string, name: string) => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: ns },
    spec: {
      predictor: {
        model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://b/m' },
      },
    },
  });
  for (const ns of namespaces) {
    await fetch(`${sandbox.url}/api/v1/namespaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
      }),
    });
  }
  const perNamespace = Math.ceil(MODELS / NAMESPACES);
  const queue = namespaces.flatMap(ns =>
    Array.from({ length: perNamespace }, (_, i) => isvc(ns, `m-${i}`)),
  );
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let next = queue.pop(); next; next = queue.pop()) {
        const response = await fetch(
          `${sandbox.url}/apis/serving.kserve.io/v1beta1/namespaces/${next.metadata.namespace}/inferenceservices`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(next),
          },
        );
        if (!response.ok)
          throw new Error(`seed: ${response.status} ${await response.text()}`);
      }
    }),
  );
  const backendList: number[] = [];
  const kubectlList: number[] = [];
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const rssBefore = process.memoryUsage().rss;
  const listModels = () =>
    request(backend.server)
      .get('/api/inference/models')
      .set('Authorization', auth);
  for (let i = 0; i < Math.min(RUNS, 11); i++) {
    backendList.push(await time(listModels));
  }
  const listed = (await listModels()).body.items.length;
  clearInterval(sampler);
  for (let i = 0; i < Math.min(RUNS, 11); i++) {
    kubectlList.push(
      await time(() => kubectl('get', 'inferenceservices', '-A', '-o', 'json')),
    );
  }

  // --- 3. Test invocation -----------------------------------------------------------------
  await api.createReadyModel('tenant-a', {
    name: 'bench-iris',
    framework: 'sklearn',
    storageUri: 'gs://b/iris',
  });
  await api.put('/models/local/tenant-a/bench-iris/publication', {
    publicModelName: 'bench-iris',
    auth: { apiKey: true },
    limits: {},
  });
  const key = (
    await api.post('/models/local/tenant-a/bench-iris/publication/keys', {
      name: 'bench',
    })
  ).body.key;
  const payload = {
    instances: [
      [6.8, 2.8, 4.8, 1.4],
      [6.0, 3.4, 4.5, 1.6],
    ],
  };
  const viaBackend: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < 60; i++) {
    viaBackend.push(
      await time(() =>
        api.post('/models/local/tenant-a/bench-iris/test', {
          protocol: 'kserve-v1',
          target: 'gateway',
          body: payload,
        }),
      ),
    );
    direct.push(
      await time(async () => {
        const r = await fetch(
          `${sandbox.modelServerUrl}/models/tenant-a/bench-iris/v1/models/bench-iris:predict`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': key },
            body: JSON.stringify(payload),
          },
        );
        await r.json();
      }),
    );
  }

  console.log(
    `\nInference backend benchmarks (${RUNS} runs, medians; sandbox on loopback)\n`,
  );
  console.log(`1. Publish an OpenAI model (${objectCount} objects)`);
  console.log(
    `   backend PUT publication         ${fmt(median(backendPublish))}`,
  );
  console.log(
    `   kubectl apply --server-side -f  ${fmt(median(kubectlApply))}`,
  );
  console.log(
    `   ratio backend / kubectl         ${(
      median(backendPublish) / median(kubectlApply)
    ).toFixed(2)}  (target <= 1.0)`,
  );
  console.log(
    `2. List ${MODELS} models in ${NAMESPACES} namespaces (backend lists the tenants' models: ${listed} items)`,
  );
  console.log(`   backend GET /models             ${fmt(median(backendList))}`);
  console.log(`   kubectl get isvc -A -o json     ${fmt(median(kubectlList))}`);
  console.log(
    `   ratio backend / kubectl         ${(
      median(backendList) / median(kubectlList)
    ).toFixed(2)}  (target <= 1.5)`,
  );
  console.log(
    `   peak RSS while listing          ${(peakRss / 2 ** 20).toFixed(
      0,
    )} MiB, ${((peakRss - rssBefore) / 2 ** 20).toFixed(
      0,
    )} MiB above idle (one process: backend + sandbox holding the 5,000 objects)`,
  );
  console.log(`3. Test invocation (KServe v1 predict)`);
  console.log(`   through the backend             ${fmt(median(viaBackend))}`);
  console.log(`   mock model server directly      ${fmt(median(direct))}`);
  console.log(
    `   added by the backend            ${fmt(
      median(viaBackend) - median(direct),
    )}  (target <= 5 ms)`,
  );
  await backend.stop();
}

runBenchmark(main);

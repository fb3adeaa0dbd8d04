/* eslint-disable no-console */
// Benchmarks of the inference backend against the Kubernetes sandbox, each against a baseline
// measured in the same run on the same sandbox (run: yarn workspace
// @inference-in-a-box/backstage-plugin-inference-backend bench). Not a test: it prints figures.
//
// The portal against the cluster calls it makes: the backend alone in a process of its own
// (backendProcess.ts) with the real permission framework, called as a tenant member (dev-a, whose
// checks are CONDITIONAL decisions), the sandbox (without its simulated controllers) and this
// script's clients (Node's http module over keep-alive connections, for both sides of each
// comparison) in this process.
// 1. Publish an OpenAI model (its 7 objects) vs the same 7 server-side applies sent directly to the
//    sandbox, one after the other: their sum, and the slowest of them.
// 2. A limit change vs the applies it makes (the objects that change), sent directly.
// 3. GET of one model vs the raw GET of its InferenceService.
// 4. Load: 20 users at once, each publishing and reading its own model: p50/p95 latency, and the
//    backend process's CPU and memory.
// In one process (backend and sandbox), as before:
// 5. List 5,000 models in 50 namespaces through the backend vs `kubectl get isvc -A -o json`,
//    with the process's peak memory.
// 6. Test invocation through the backend vs calling the mock model server directly, and vs the
//    same call through the gateway double directly (what the backend adds over the gateway hop).
import { execFile, fork } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  apiAs,
  loadCatalogEntities,
  startInferenceTestBackend,
} from '@internal/inference-test-utils';
import { startKubeSandbox } from '@internal/kube-sandbox';
import type { KubeSandbox } from '@internal/kube-sandbox';
import { inferencePlugin } from '../src/plugin';
import type { BackendStats } from './backendProcess';
import {
  httpRequest,
  median,
  percentile,
  runBenchmark,
  time,
  UNCAPPED,
} from './benchKit';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
/**
 * Rows 1-3 time single requests of a few milliseconds, whose medians move by a tenth between
 * runs of 21 (the machine's own noise); 61 runs, each pair of calls side by side, steady them.
 */
const PORTAL_RUNS = Number(process.env.BENCH_PORTAL_RUNS ?? 61);
const MODELS = Number(process.env.BENCH_MODELS ?? 5000);
const NAMESPACES = 50;
const USERS = Number(process.env.BENCH_USERS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
/** A pause between timed calls, so that neither side runs into the other's leftovers (GC, sockets). */
const settle = () => sleep(20);

type Json = Record<string, any>;

/** What the server keeps about an object that a client does not send back. */
function asApplied(object: Json): Json {
  const {
    managedFields: _m,
    resourceVersion: _r,
    uid: _u,
    creationTimestamp: _c,
    generation: _g,
    ...metadata
  } = object.metadata;
  const { status: _s, ...rest } = object;
  return { ...rest, metadata };
}

/** Direct calls to the sandbox's API server: server-side applies, deletes and reads. */
function directClient(sandbox: KubeSandbox) {
  const plurals = new Map<string, Promise<Json[]>>();
  async function pathOf(o: Json): Promise<string> {
    const base = o.apiVersion.includes('/')
      ? `/apis/${o.apiVersion}`
      : `/api/${o.apiVersion}`;
    if (!plurals.has(o.apiVersion)) {
      plurals.set(
        o.apiVersion,
        httpRequest(`${sandbox.url}${base}`).then(
          r => JSON.parse(r.text).resources,
        ),
      );
    }
    const resource = (await plurals.get(o.apiVersion)!).find(
      r => r.kind === o.kind && !r.name.includes('/'),
    )!;
    return `${sandbox.url}${base}/namespaces/${o.metadata.namespace}/${resource.name}/${o.metadata.name}`;
  }
  return {
    pathOf,
    async apply(o: Json) {
      const response = await httpRequest(
        `${await pathOf(o)}?fieldManager=bench&force=true`,
        {
          method: 'PATCH',
          headers: { 'content-type': 'application/apply-patch+yaml' },
          body: JSON.stringify(o),
        },
      );
      if (response.status >= 300)
        throw new Error(`apply: ${response.status} ${response.text}`);
      return JSON.parse(response.text);
    },
    async delete(o: Json) {
      await httpRequest(await pathOf(o), { method: 'DELETE' });
    },
    async get(o: Json) {
      return JSON.parse((await httpRequest(await pathOf(o))).text);
    },
  };
}

/** Times `apply` of each object, one after the other: the sum and the slowest. */
async function timedApplies(
  direct: ReturnType<typeof directClient>,
  objects: Json[],
): Promise<{ sum: number; slowest: number }> {
  const each: number[] = [];
  for (const o of objects) each.push(await time(() => direct.apply(o)));
  return {
    sum: each.reduce((a, b) => a + b, 0),
    slowest: Math.max(...each),
  };
}

/** The inference backend in a child process (backendProcess.ts), and calls to its API. */
async function startBackendProcess(sandbox: KubeSandbox, entities: Entity[]) {
  const child = fork(join(__dirname, 'backendProcess.ts'), [], {
    execArgv: [
      '-r',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const reply = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const listener = (message: Json) => {
        if (message.error) reject(new Error(message.error));
        if (key in message) {
          child.off('message', listener);
          resolve(message[key]);
        }
      };
      child.on('message', listener);
    });
  const started = reply<number>('port');
  child.send({
    start: {
      sandboxUrl: sandbox.url,
      modelServerUrl: sandbox.modelServerUrl,
      entities,
    },
  });
  const base = `http://127.0.0.1:${await started}/api/inference`;

  const call = async (
    user: string,
    method: string,
    path: string,
    body?: object,
  ): Promise<{ status: number; body: Json }> => {
    const response = await httpRequest(`${base}${path}`, {
      method,
      headers: {
        authorization: mockCredentials.user.header(`user:default/${user}`),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return {
      status: response.status,
      body: response.text ? JSON.parse(response.text) : {},
    };
  };
  const ok = async (
    what: Promise<{ status: number; body: Json }>,
  ): Promise<Json> => {
    const r = await what;
    if (r.status >= 300)
      throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return {
    call,
    ok,
    stats: () => {
      const stats = reply<BackendStats>('stats');
      child.send({ stats: true });
      return stats;
    },
    async createModel(namespace: string, spec: Json) {
      await ok(call('platform-admin', 'POST', '/models', { namespace, spec }));
    },
    stop: () => child.kill(),
  };
}

const llm = (name: string) => ({
  name,
  framework: 'huggingface',
  storageUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct',
  modelType: 'openai',
});

const publishRequest = (name: string, requestsPerMinute: number) => ({
  publicModelName: name,
  auth: { apiKey: true },
  limits: { requestsPerMinute, requestsPerHour: 3600, tokensPerHour: 100000 },
});

async function createNamespace(sandbox: KubeSandbox, name: string) {
  const response = await fetch(`${sandbox.url}/api/v1/namespaces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: { 'inference.platform.io/tenant-namespace': 'true' },
      },
    }),
  });
  if (!response.ok) throw new Error(`namespace ${name}: ${response.status}`);
}

/** The portal's objects of one publication, as the sandbox stores them. */
function publicationObjects(
  sandbox: KubeSandbox,
  namespace: string,
  model: string,
): Json[] {
  return (
    [
      ['v1', 'Secret'],
      ['gateway.envoyproxy.io/v1alpha1', 'SecurityPolicy'],
      ['gateway.envoyproxy.io/v1alpha1', 'BackendTrafficPolicy'],
      ['gateway.envoyproxy.io/v1alpha1', 'Backend'],
      ['aigateway.envoyproxy.io/v1beta1', 'AIServiceBackend'],
      ['aigateway.envoyproxy.io/v1beta1', 'AIGatewayRoute'],
      ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
      ['security.istio.io/v1', 'AuthorizationPolicy'],
    ] as const
  )
    .flatMap(([apiVersion, kind]) =>
      sandbox.store.list(apiVersion, kind, namespace),
    )
    .filter(
      o =>
        o.metadata.labels?.['inference.platform.io/model'] === model &&
        o.metadata.labels?.['app.kubernetes.io/managed-by'] ===
          'inference-portal' &&
        // Not the HTTPRoute the AI Gateway controller generates from the AIGatewayRoute.
        !(o.metadata.ownerReferences as unknown[] | undefined)?.length,
    )
    .map(o => asApplied(o as Json));
}

async function portalAgainstItsApplies() {
  // No simulated controllers: in a cluster they run elsewhere and never hold up an API answer,
  // while in the sandbox they would run on this process's event loop in the middle of the timed
  // calls of both sides (a model need not be Ready to be published).
  const sandbox = await startKubeSandbox({
    controllers: false,
    modelServer: true,
  });
  for (const ns of ['tenant-a', 'tenant-b', 'tenant-c']) {
    await createNamespace(sandbox, ns);
  }
  // The load's users, each the member of a tenant of its own, from the trusted org file.
  const orgFile = loadCatalogEntities().find(e => e.kind === 'Group')!.metadata
    .annotations!['backstage.io/managed-by-origin-location'];
  const loadUsers = Array.from(
    { length: USERS },
    (_, i) => `load-${String(i).padStart(2, '0')}`,
  );
  const entities: Entity[] = loadUsers.flatMap(name => [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'inference.platform.io/namespace': name,
          'backstage.io/managed-by-location': orgFile,
          'backstage.io/managed-by-origin-location': orgFile,
        },
      },
      spec: { type: 'tenant', children: [] },
      relations: [{ type: 'hasMember', targetRef: `user:default/${name}` }],
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: { memberOf: [name] },
    },
  ]);
  for (const ns of loadUsers) await createNamespace(sandbox, ns);
  const backend = await startBackendProcess(sandbox, entities);
  const direct = directClient(sandbox);
  const { call, ok } = backend;
  const USER = 'dev-a';

  // --- 1. Publish ---------------------------------------------------------------------------
  await backend.createModel('tenant-a', llm('bench-llm'));
  const path = '/models/local/tenant-a/bench-llm/publication';
  const publish = (rpm: number) =>
    ok(call(USER, 'PUT', path, publishRequest('bench-llm', rpm)));
  const unpublish = () => ok(call(USER, 'DELETE', path));
  await publish(60);
  const objects = publicationObjects(sandbox, 'tenant-a', 'bench-llm');
  await unpublish();
  // Guards before routes, as the portal applies them.
  objects.sort(
    (a, b) =>
      Number(a.kind === 'AIGatewayRoute') - Number(b.kind === 'AIGatewayRoute'),
  );
  const deleteDirectly = async () => {
    for (const o of [...objects].reverse()) await direct.delete(o);
  };
  for (let i = 0; i < 3; i++) {
    await publish(60);
    await unpublish();
    await timedApplies(direct, objects);
    await deleteDirectly();
  }
  const portalPublish: number[] = [];
  const directSum: number[] = [];
  const directSlowest: number[] = [];
  for (let i = 0; i < PORTAL_RUNS; i++) {
    await settle();
    portalPublish.push(await time(() => publish(60)));
    await unpublish();
    await settle();
    const applies = await timedApplies(direct, objects);
    directSum.push(applies.sum);
    directSlowest.push(applies.slowest);
    await deleteDirectly();
  }

  // --- 2. Limit change ----------------------------------------------------------------------
  await publish(60);
  const at60 = publicationObjects(sandbox, 'tenant-a', 'bench-llm');
  const changed = (
    (await publish(120)).changes as { action: string; kind: string }[]
  )
    .filter(c => c.action !== 'unchanged')
    .map(c => c.kind);
  // What the limit change sends, at the other limit: applied directly, it changes the same objects.
  const back = at60.filter(o => changed.includes(o.kind));
  const portalLimit: number[] = [];
  const directLimit: number[] = [];
  for (let i = 0; i < PORTAL_RUNS + 3; i++) {
    await settle();
    await timedApplies(direct, back).then(
      a => i >= 3 && directLimit.push(a.sum),
    );
    await settle();
    const t = await time(() => publish(120));
    if (i >= 3) portalLimit.push(t);
  }

  // --- 3. GET one model ---------------------------------------------------------------------
  const isvcOf = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { namespace: 'tenant-a', name: 'bench-llm' },
  };
  const portalGet: number[] = [];
  const rawGet: number[] = [];
  for (let i = 0; i < PORTAL_RUNS * 3 + 5; i++) {
    const p = await time(() =>
      ok(call(USER, 'GET', '/models/local/tenant-a/bench-llm')),
    );
    const r = await time(() => direct.get(isvcOf));
    if (i >= 5) {
      portalGet.push(p);
      rawGet.push(r);
    }
  }
  await unpublish();

  // --- 4. Load ------------------------------------------------------------------------------
  await Promise.all(
    loadUsers.map(user => backend.createModel(user, llm('llm'))),
  );
  const loadPublish: number[] = [];
  const loadGet: number[] = [];
  await settle();
  const before = await backend.stats();
  const loadStart = performance.now();
  await Promise.all(
    loadUsers.map(async user => {
      const own = `/models/local/${user}/llm`;
      for (let round = 0; round < ROUNDS; round++) {
        loadPublish.push(
          await time(() =>
            ok(
              call(
                user,
                'PUT',
                `${own}/publication`,
                publishRequest('llm', round % 2 ? 120 : 60),
              ),
            ),
          ),
        );
        loadGet.push(await time(() => ok(call(user, 'GET', own))));
      }
    }),
  );
  const loadWall = performance.now() - loadStart;
  const after = await backend.stats();
  backend.stop();
  await sandbox.close();

  const ratio = (a: number[], b: number[]) =>
    (median(a) / median(b)).toFixed(2);
  return () => {
    console.log(
      `1. Publish an OpenAI model (${objects.length} objects) as a tenant member`,
    );
    console.log(
      `   backend PUT publication                   ${fmt(
        median(portalPublish),
      )}`,
    );
    console.log(
      `   the same applies directly, sum            ${fmt(median(directSum))}`,
    );
    console.log(
      `   the same applies directly, slowest        ${fmt(
        median(directSlowest),
      )}`,
    );
    console.log(
      `   ratio to the sum                          ${ratio(
        portalPublish,
        directSum,
      )}  (target <= 3)`,
    );
    console.log(
      `   ratio to the slowest                      ${ratio(
        portalPublish,
        directSlowest,
      )}`,
    );
    console.log(`2. Limit change (changes: ${changed.join(', ')})`);
    console.log(
      `   backend PUT publication                   ${fmt(
        median(portalLimit),
      )}`,
    );
    console.log(
      `   its applies directly, sum                 ${fmt(
        median(directLimit),
      )}`,
    );
    console.log(
      `   ratio                                     ${ratio(
        portalLimit,
        directLimit,
      )}  (target <= 3)`,
    );
    console.log(`3. GET one model`);
    console.log(
      `   backend GET /models/local/tenant-a/...    ${fmt(median(portalGet))}`,
    );
    console.log(
      `   raw GET of its InferenceService           ${fmt(median(rawGet))}`,
    );
    console.log(
      `   added by the backend                      +${fmt(
        median(portalGet) - median(rawGet),
      )}  (target <= 3 ms)`,
    );
    console.log(
      `4. Load: ${USERS} users at once, each publishing and reading its own model ${ROUNDS} times (${fmt(
        loadWall,
      )})`,
    );
    console.log(
      `   publish p50 / p95                          ${fmt(
        percentile(loadPublish, 50),
      )} / ${fmt(percentile(loadPublish, 95))}`,
    );
    console.log(
      `   GET model p50 / p95                        ${fmt(
        percentile(loadGet, 50),
      )} / ${fmt(percentile(loadGet, 95))}`,
    );
    console.log(
      `   throughput                                 ${(
        ((loadPublish.length + loadGet.length) / loadWall) *
        1000
      ).toFixed(0)} requests/s`,
    );
    console.log(
      `   backend CPU                                ${(
        ((after.cpuMs - before.cpuMs) / loadWall) *
        100
      ).toFixed(0)}% of one core (${(
        (after.cpuMs - before.cpuMs) /
        (loadPublish.length + loadGet.length)
      ).toFixed(1)} ms per request)`,
    );
    console.log(
      `   backend memory                             RSS ${mib(
        after.rss,
      )} after, peak ${mib(after.maxRss)}; heap ${mib(after.heapUsed)}`,
    );
  };
}

async function main() {
  const printPortal = await portalAgainstItsApplies();

  const namespaces = Array.from(
    { length: NAMESPACES },
    (_, i) => `bench-${String(i).padStart(2, '0')}`,
  );
  // Each bench namespace is a tenant in the catalog, so the backend lists its models: groups of
  // the trusted org file (a group from anywhere else is no tenant, see readTenants).
  const orgFile = loadCatalogEntities().find(e => e.kind === 'Group')!.metadata
    .annotations!['backstage.io/managed-by-origin-location'];
  const benchTenants = namespaces.map(ns => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: ns,
      namespace: 'default',
      annotations: {
        'inference.platform.io/namespace': ns,
        'backstage.io/managed-by-location': orgFile,
        'backstage.io/managed-by-origin-location': orgFile,
      },
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

  // --- 5. List ----------------------------------------------------------------------------
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

  // --- 6. Test invocation -----------------------------------------------------------------
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
  const { endpoint } = (
    await api.get('/models/local/tenant-a/bench-iris/publication')
  ).body;
  const published = new URL(endpoint);
  const gatewayUrl = new URL(
    `${published.pathname}/v1/models/bench-iris:predict`,
    backend.gateway!.url,
  );
  await backend.gateway!.objects.waitUntilCurrent();
  /** The same prediction to the gateway double, Host set to the publication's (fetch cannot). */
  const throughGateway = async () => {
    const answer = await httpRequest(gatewayUrl.toString(), {
      method: 'POST',
      headers: {
        host: published.hostname,
        'content-type': 'application/json',
        'x-api-key': key,
      },
      body: JSON.stringify(payload),
    });
    if (answer.status !== 200) {
      throw new Error(`the gateway answered ${answer.status}`);
    }
  };
  const viaBackend: number[] = [];
  const direct: number[] = [];
  const viaGateway: number[] = [];
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
    viaGateway.push(await time(throughGateway));
  }

  console.log(
    `\nInference backend benchmarks (medians of ${PORTAL_RUNS} runs for 1-3, ${RUNS} for 5-6; sandbox on loopback)\n`,
  );
  printPortal();
  console.log(
    `5. List ${MODELS} models in ${NAMESPACES} namespaces (backend lists the tenants' models: ${listed} items)`,
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
  console.log(`6. Test invocation (KServe v1 predict)`);
  console.log(`   through the backend             ${fmt(median(viaBackend))}`);
  console.log(`   mock model server directly      ${fmt(median(direct))}`);
  console.log(`   gateway double directly         ${fmt(median(viaGateway))}`);
  console.log(
    `   added by the backend            ${fmt(
      median(viaBackend) - median(direct),
    )}  (target <= 5 ms)`,
  );
  console.log(
    `   added over the gateway call     ${fmt(
      median(viaBackend) - median(viaGateway),
    )}`,
  );
  await backend.stop();
}

runBenchmark(main);

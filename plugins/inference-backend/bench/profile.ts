/* eslint-disable no-console */
// Where the time of a publish, a limit change and a read of one model goes (run: yarn workspace
// @inference-in-a-box/backstage-plugin-inference-backend bench:profile). Not a test: it prints a
// table. The backend runs with the real permission framework (the permission backend with the
// portal's policy, which answers a tenant member with a CONDITIONAL decision), the Kubernetes
// sandbox in the same process, SQLite in memory. The same script runs against an older checkout
// of the plugin for a before/after comparison (it only needs ../src/plugin).
//
// Each request is cut into spans seen from the outside, with no hook in the plugin's code:
// - cluster: the sandbox's API server handling a request (from Node's `http.server.*` diagnostics
//   channels), split into reads (get, list), dry-run applies, applies and deletes;
// - permission: the permission backend handling `/api/permission/authorize` (including, for a
//   check that names a resource, its apply-conditions call back into the inference plugin);
// - database: knex queries (SQLite; the publication lock, history, publication records);
// - the rest is the portal's own work on the event loop (HTTP in and out, the cluster client,
//   auth, validation, building, planning, serializing) and is broken down by a CPU profile.
// Spans overlap (concurrent calls), so each column is the wall time during which at least one
// span of that kind was running, and "portal" is what no span covers.
import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import {
  apiAs,
  startInferenceTestBackend,
} from '@internal/inference-test-utils';
import { inferencePlugin } from '../src/plugin';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  httpRequest,
  median,
  portalPermissionFeatures,
  runBenchmark,
  time,
  UNCAPPED,
} from './benchKit';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const USER = process.env.BENCH_USER ?? 'dev-a';

type Kind = 'read' | 'dry-run' | 'apply' | 'delete' | 'permission' | 'db';
interface Span {
  kind: Kind;
  start: number;
  end: number;
}

const spans: Span[] = [];
let sandboxPort = 0;

// --- spans ------------------------------------------------------------------------------------
const started = new WeakMap<object, number>();
diagnostics.subscribe('http.server.request.start', message => {
  const { response } = message as { response: ServerResponse };
  started.set(response, performance.now());
});
diagnostics.subscribe('http.server.response.finish', message => {
  const { request, response } = message as {
    request: IncomingMessage;
    response: ServerResponse;
  };
  const start = started.get(response);
  if (start === undefined) return;
  const end = performance.now();
  // Express strips its mount paths from `url` while routing.
  const url =
    (request as IncomingMessage & { originalUrl?: string }).originalUrl ??
    request.url ??
    '';
  let kind: Kind | undefined;
  if (request.socket.localPort === sandboxPort) {
    if (request.method === 'GET') kind = 'read';
    else if (request.method === 'PATCH')
      kind = url.includes('dryRun=') ? 'dry-run' : 'apply';
    else if (request.method === 'DELETE') kind = 'delete';
  } else if (url.startsWith('/api/permission/')) kind = 'permission';
  if (kind) spans.push({ kind, start, end });
});

// Every knex query of every plugin goes through Client.prototype.query.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const KnexClient = require('knex').Client;

const query = KnexClient.prototype.query;
KnexClient.prototype.query = function timedQuery(...args: unknown[]) {
  const start = performance.now();
  const done = () => spans.push({ kind: 'db', start, end: performance.now() });
  const result = query.apply(this, args);
  result.then(done, done);
  return result;
};

/** Wall time during which at least one of the spans ran, within [from, to]. */
function covered(list: Span[], from: number, to: number): number {
  const clipped = list
    .map(s => [Math.max(s.start, from), Math.min(s.end, to)])
    .filter(([a, b]) => b > a)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: number[] | undefined;
  for (const [a, b] of clipped) {
    if (!current || a > current[1]) {
      if (current) total += current[1] - current[0];
      current = [a, b];
    } else current[1] = Math.max(current[1], b);
  }
  return current ? total + current[1] - current[0] : total;
}

interface Breakdown {
  total: number;
  calls: Record<Kind, number>;
  wall: Record<Kind | 'cluster' | 'portal', number>;
  /** Sum of the sandbox's handling time of the applies (and deletes), one after the other. */
  appliesSum: number;
}

async function measure(fn: () => Promise<void>): Promise<Breakdown> {
  spans.length = 0;
  const from = performance.now();
  await fn();
  const to = performance.now();
  const mine = spans.filter(s => s.start >= from && s.end <= to);
  // BENCH_TIMELINE=1 prints each operation's spans (ms from its start): where the gaps are.
  if (process.env.BENCH_TIMELINE)
    console.log(
      mine
        .map(
          x =>
            `${x.kind} ${(x.start - from).toFixed(1)}-${(x.end - from).toFixed(
              1,
            )}`,
        )
        .join(' | '),
      `total ${(to - from).toFixed(1)}`,
    );
  const of = (...kinds: Kind[]) => mine.filter(s => kinds.includes(s.kind));
  const kinds: Kind[] = [
    'read',
    'dry-run',
    'apply',
    'delete',
    'permission',
    'db',
  ];
  const calls = Object.fromEntries(kinds.map(k => [k, of(k).length])) as Record<
    Kind,
    number
  >;
  const wall = Object.fromEntries(
    kinds.map(k => [k, covered(of(k), from, to)]),
  ) as Breakdown['wall'];
  wall.cluster = covered(of('read', 'dry-run', 'apply', 'delete'), from, to);
  wall.portal = to - from - covered(mine, from, to);
  return {
    total: to - from,
    calls,
    wall,
    appliesSum: of('apply', 'delete').reduce((s, x) => s + x.end - x.start, 0),
  };
}

// --- CPU profile --------------------------------------------------------------------------------
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

function categoryOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName; // (garbage collector), (program), (idle)
  if (url.includes('/bench/profile.ts')) {
    // Starting the profiler itself (sampled before `fn` runs), and the spans' own bookkeeping.
    return functionName === 'cpuProfile'
      ? 'profiler start'
      : 'spans (this script)';
  }
  if (url.includes('/packages/kube-sandbox/')) return 'kube sandbox (cluster)';
  if (url.includes('/packages/gateway-sandbox/')) return 'gateway double';
  if (url.includes('/plugins/inference-backend/'))
    return 'portal: inference-backend';
  if (url.includes('/plugins/inference-node/')) return 'portal: inference-node';
  if (url.includes('/plugins/inference-common/'))
    return 'portal: inference-common';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:'))
    return `node: ${url.replace(/^node:(internal\/)?/, '')}`;
  return url;
}

async function cpuProfile(fn: () => Promise<void>) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const start = performance.now();
  await fn();
  const elapsed = performance.now() - start;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const byId = new Map<number, ProfileNode>(
    (profile.nodes as ProfileNode[]).map(n => [n.id, n]),
  );
  const parent = new Map<number, number>();
  for (const node of byId.values())
    for (const child of node.children ?? []) parent.set(child, node.id);
  // Node's own code (streams, http, timers, structuredClone) counts for the nearest caller outside
  // it: the sandbox's structuredClone is the cluster's time, a socket write the caller's.
  const owner = (id: number): ProfileNode => {
    let node = byId.get(id)!;
    while (node.callFrame.url.startsWith('node:') && parent.has(node.id)) {
      const up = byId.get(parent.get(node.id)!)!;
      if (!up.callFrame.url) break;
      node = up;
    }
    return node;
  };
  const self = new Map<string, number>();
  const functions = new Map<string, number>();
  profile.samples!.forEach((id, i) => {
    const node = owner(id);
    const ms = profile.timeDeltas![i] / 1000;
    const category = categoryOf(node);
    if (category === 'profiler start') return;
    self.set(category, (self.get(category) ?? 0) + ms);
    if (category.startsWith('portal') || category.startsWith('@kubernetes')) {
      const { functionName, url, lineNumber } = node.callFrame;
      const name = `${functionName || '(anonymous)'} ${url
        .split('/')
        .slice(-2)
        .join('/')}:${lineNumber + 1}`;
      functions.set(name, (functions.get(name) ?? 0) + ms);
    }
  });
  return { elapsed, self, functions };
}

function printProfile(
  title: string,
  runs: number,
  profile: Awaited<ReturnType<typeof cpuProfile>>,
) {
  const per = (ms: number) => `${(ms / runs).toFixed(2)} ms`;
  console.log(`\n  CPU profile, ${title} (self time per operation)`);
  const rows = [...profile.self.entries()].sort((a, b) => b[1] - a[1]);
  for (const [category, ms] of rows.slice(0, 16)) {
    console.log(`    ${category.padEnd(44)} ${per(ms)}`);
  }
  const top = [...profile.functions.entries()].sort((a, b) => b[1] - a[1]);
  console.log(`  hottest portal and client-node functions`);
  for (const [name, ms] of top.slice(0, 12)) {
    console.log(`    ${name.padEnd(70)} ${per(ms)}`);
  }
}

// --- the operations ---------------------------------------------------------------------------
async function main() {
  const backend = await startInferenceTestBackend(inferencePlugin, {
    readyDelayMs: 10,
    config: { rateCaps: UNCAPPED },
    features: portalPermissionFeatures(),
    rootConfig: { permission: { enabled: true } },
    // The gateway double watches every write; it is not part of the portal.
    gatewayDouble: false,
  });
  sandboxPort = Number(new URL(backend.sandbox.url).port);
  const admin = apiAs(backend, 'platform-admin');
  await admin.createReadyModel('tenant-a', {
    name: 'bench-llm',
    framework: 'huggingface',
    storageUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct',
    modelType: 'openai',
  });
  // The measured calls go through a lean HTTP client (benchKit), not supertest, whose own work
  // would be counted as the portal's.
  const address = backend.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const call = (method: string, path: string, body?: object) =>
    httpRequest(`http://127.0.0.1:${port}/api/inference${path}`, {
      method,
      headers: {
        authorization: mockCredentials.user.header(`user:default/${USER}`),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  const path = '/models/local/tenant-a/bench-llm/publication';
  const body = (requestsPerMinute: number) => ({
    publicModelName: 'bench-llm',
    auth: { apiKey: true },
    limits: { requestsPerMinute, requestsPerHour: 3600, tokensPerHour: 1e5 },
  });
  const ok = async (response: Promise<{ status: number; text: string }>) => {
    const r = await response;
    if (r.status !== 200) throw new Error(r.text);
    JSON.parse(r.text);
  };
  let rpm = 60;
  const publish = () => {
    rpm = 60;
    return ok(call('PUT', path, body(rpm)));
  };
  const unpublish = () => ok(call('DELETE', path));
  // Every call changes the requests-per-minute limit of the publication (60 <-> 120).
  const limitChange = () => {
    rpm = rpm === 60 ? 120 : 60;
    return ok(call('PUT', path, body(rpm)));
  };
  const read = () => ok(call('GET', '/models/local/tenant-a/bench-llm'));

  // Warm up every path (JIT, connection pools, caches).
  for (let i = 0; i < 5; i++) {
    await publish();
    await limitChange();
    await read();
    await unpublish();
  }

  const results: Record<string, Breakdown[]> = {
    publish: [],
    'limit change': [],
    'GET model': [],
  };
  // The sandbox's controllers react to every write (status updates) on this same event loop; each
  // measured operation starts once they are done, as a user's next click would.
  const settle = () => new Promise(r => setTimeout(r, 40));
  for (let i = 0; i < RUNS; i++) {
    await settle();
    results.publish.push(await measure(publish));
    await settle();
    results['limit change'].push(await measure(limitChange));
    await settle();
    results['GET model'].push(await measure(read));
    await unpublish();
  }

  const cols: (Kind | 'cluster' | 'portal')[] = [
    'cluster',
    'read',
    'dry-run',
    'apply',
    'delete',
    'permission',
    'db',
    'portal',
  ];
  console.log(
    `\nWhere the time goes (${RUNS} runs as ${USER}, medians of wall time in ms; a column is the time at least one such span ran)\n`,
  );
  console.log(
    `${'operation'.padEnd(14)} ${'total'.padStart(6)} ${cols
      .map(c => c.padStart(10))
      .join(' ')} ${'applies Σ'.padStart(10)}`,
  );
  for (const [name, list] of Object.entries(results)) {
    const m = (f: (b: Breakdown) => number) => median(list.map(f)).toFixed(1);
    const calls = (k: Kind) => median(list.map(b => b.calls[k]));
    console.log(
      `${name.padEnd(14)} ${m(b => b.total).padStart(6)} ${cols
        .map(c =>
          `${m(b => b.wall[c])}${
            c === 'cluster' || c === 'portal' ? '' : ` (${calls(c)})`
          }`.padStart(10),
        )
        .join(' ')} ${m(b => b.appliesSum).padStart(10)}`,
    );
  }
  console.log('  (n) = calls of that kind per operation');

  // CPU profiles of each operation alone.
  const PROFILED = Math.max(RUNS, 30);
  await publish();
  const reads = await cpuProfile(async () => {
    for (let i = 0; i < PROFILED; i++) await read();
  });
  const limits = await cpuProfile(async () => {
    for (let i = 0; i < PROFILED; i++) await limitChange();
  });
  await unpublish();
  let publishMs = 0;
  const publishes = await cpuProfile(async () => {
    for (let i = 0; i < PROFILED; i++) {
      publishMs += await time(publish);
      await unpublish();
    }
  });
  console.log(
    `\n(publish measured inside the profile: ${(publishMs / PROFILED).toFixed(
      1,
    )} ms mean; the profile includes the unpublishes)`,
  );
  printProfile('publish + unpublish', PROFILED, publishes);
  printProfile('limit change', PROFILED, limits);
  printProfile('GET model', PROFILED, reads);
  await backend.stop();
}

runBenchmark(main);

/* eslint-disable no-console */
// Benchmark (not a test; run: yarn workspace @inference-in-a-box/backstage-plugin-inference-backend
// bench:drift): the platform-wide drift check of
// 500 publications in 50 tenant namespaces against the Kubernetes sandbox, with the number of API
// calls it makes. The baseline, measured in the same run, is listing every publication
// (`GET /publications`), which reads the same objects without comparing anything.
import { ANNOTATION_NAMESPACE } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  startInferenceTestBackend,
  tenantGroupEntity,
} from '@internal/inference-test-utils';
import { KINDS } from '@inference-in-a-box/backstage-plugin-inference-node';
import { inferencePlugin } from '../src/plugin';
import { publicationObjectNames } from '../src/publication/build/objectNames';
import { median, runBenchmark, UNCAPPED } from './benchKit';

const NAMESPACES = Number(process.env.BENCH_NAMESPACES ?? 50);
const PER_NAMESPACE = Number(process.env.BENCH_PER_NAMESPACE ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DRIFTED = Number(process.env.BENCH_DRIFTED ?? 50);
const ORIGIN = 'file:/bench/org.yaml';

async function inBatches<T>(
  items: T[],
  size: number,
  fn: (t: T) => Promise<unknown>,
) {
  for (let i = 0; i < items.length; i += size)
    await Promise.all(items.slice(i, i + size).map(fn));
}

async function main() {
  const tenants = Array.from(
    { length: NAMESPACES },
    (_, i) => `bench-${String(i).padStart(2, '0')}`,
  );
  const backend = await startInferenceTestBackend(inferencePlugin, {
    gatewayDouble: false,
    readyDelayMs: 0,
    entities: tenants.map(name =>
      tenantGroupEntity({
        name,
        annotations: { [ANNOTATION_NAMESPACE]: name },
        origin: ORIGIN,
      }),
    ),
    config: {
      tenants: { trustedLocations: [ORIGIN] },
      rateCaps: UNCAPPED,
      // Seeding publishes 10 at a time into a sandbox in this very process: slower than a cluster.
      kubernetes: { requestTimeoutMs: 30_000, maxAttempts: 3 },
    },
  });
  try {
    const admin = apiAs(backend, 'platform-admin');
    for (const name of tenants) {
      const created = await fetch(`${backend.sandbox.url}/api/v1/namespaces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name },
        }),
      });
      if (!created.ok) throw new Error(`namespace ${name}: ${created.status}`);
    }
    const models = tenants.flatMap(tenant =>
      Array.from({ length: PER_NAMESPACE }, (_, i) => ({
        tenant,
        name: `model-${i}`,
      })),
    );
    const seeded = Date.now();
    await inBatches(models, 10, m =>
      admin.createReadyModel(m.tenant, irisSpec(m.name)),
    );
    await inBatches(models, 10, async m => {
      const published = await admin.put(
        `/models/local/${m.tenant}/${m.name}/publication`,
        apiKeyPublishRequest(m.name, {
          requestsPerMinute: 60,
        }),
      );
      if (published.status !== 200)
        throw new Error(
          `publish ${m.tenant}/${m.name}: ${published.status} ${JSON.stringify(
            published.body,
          )}`,
        );
    });
    console.log(
      `Seeded ${models.length} publications in ${NAMESPACES} namespaces in ${(
        (Date.now() - seeded) /
        1000
      ).toFixed(1)} s`,
    );

    const audit = backend.sandbox.audit;
    const measure = async (
      what: () => Promise<{ status: number; body: any }>,
    ) => {
      audit.clear();
      const started = performance.now();
      const response = await what();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      return { ms, calls: audit.entries().length, body: response.body };
    };

    const list = [];
    const check = [];
    for (let run = 0; run < RUNS; run++) {
      list.push(await measure(() => admin.get('/publications')));
      check.push(await measure(() => admin.post('/drift-check')));
    }
    const inSync = check.at(-1)!.body;

    // Some limits raised by hand (another field manager): those take the dry-run path.
    const trafficPolicies = models.slice(0, DRIFTED).map(m => ({
      ...m,
      name: publicationObjectNames(m.tenant, m.name).trafficPolicy,
    }));
    for (const p of trafficPolicies) {
      const { apiVersion } = KINDS.backendTrafficPolicy;
      const patched = await fetch(
        `${backend.sandbox.url}/apis/${apiVersion}/namespaces/${p.tenant}/backendtrafficpolicies/${p.name}?fieldManager=bench-operator`,
        {
          method: 'PATCH',
          headers: { 'content-type': 'application/json-patch+json' },
          body: JSON.stringify([
            {
              op: 'replace',
              path: '/spec/rateLimit/global/rules/0/limit/requests',
              value: 100000,
            },
          ]),
        },
      );
      if (!patched.ok) throw new Error(`patch ${p.name}: ${patched.status}`);
    }
    const drifted = [];
    for (let run = 0; run < RUNS; run++)
      drifted.push(await measure(() => admin.post('/drift-check')));
    // The figures mean something only if the check found exactly what was changed.
    const withDrift = drifted.at(-1)!.body;
    if (inSync.checked !== models.length || inSync.drifted !== 0)
      throw new Error(`in sync, the check found ${JSON.stringify(inSync)}`);
    if (withDrift.checked !== models.length || withDrift.drifted !== DRIFTED)
      throw new Error(
        `with drift, the check found ${JSON.stringify(withDrift)}`,
      );

    const row = (label: string, runs: { ms: number; calls: number }[]) =>
      `${label.padEnd(52)} ${(median(runs.map(r => r.ms)) / 1000)
        .toFixed(2)
        .padStart(7)} s ${String(median(runs.map(r => r.calls))).padStart(
        6,
      )} API calls`;
    const ratio = (runs: { ms: number }[]) =>
      (median(runs.map(r => r.ms)) / median(list.map(r => r.ms))).toFixed(2);
    console.log(
      [
        `Drift check, ${models.length} publications in ${NAMESPACES} namespaces (median of ${RUNS} runs):`,
        row('baseline: GET /publications (list only)', list),
        row('drift check, all in sync', check),
        row(`drift check, ${DRIFTED} with a limit raised by hand`, drifted),
        `ratio to baseline: in sync ${ratio(check)}x, with drift ${ratio(
          drifted,
        )}x`,
      ].join('\n'),
    );
  } finally {
    await backend.stop();
  }
}

runBenchmark(main);

// A rollout's per-version figures and its automatic roll back end to end: the Kubernetes sandbox
// runs the models (a storage URI on the host `serving-errors` gives a version that is Ready but
// answers every request 500), requests go through the gateway double, which counts them as each
// model pod's Istio sidecar would, a real Prometheus (Debian's package, as in
// ../usage/usageFromPrometheus.test.ts) scrapes it with the development scrape config, and the
// rollout status and the scheduled progress task read the figures back from it.
import { mockServices } from '@backstage/backend-test-utils';
import type { InferenceTestBackend } from '../__testUtils__';
import { apiAs, irisSpec, startPluginBackend } from '../__testUtils__';
import {
  freePort,
  describeWithPrometheus,
  startPrometheus,
  TestPrometheus,
} from '../usage/__testUtils__/startPrometheus';
import {
  progressRolloutsWith,
  publishWithKey,
  rolloutPath,
  rolloutUntil,
} from './__testUtils__/rolloutTestKit';

jest.setTimeout(120_000);

type Api = ReturnType<typeof apiAs>;

const V1 = 'gs://kfserving-examples/models/sklearn/1.0/model';
/** Ready, and answers every inference request with HTTP 500 (kube-sandbox faults/servingErrors.ts). */
const SERVING_ERRORS = 'gs://serving-errors/iris';
const SETTINGS = { errorRatePercent: 20, window: '5m', minRequests: 20 };
const ISVC = ['serving.kserve.io/v1beta1', 'InferenceService'] as const;
/** What the portal's own scheduled task is recorded as (its service credentials). */
const PORTAL = 'plugin:inference';

/** A backend with the scheduler mocked, so that a test runs the progress task when it wants. */
async function startBackend(prometheusUrl: string) {
  const scheduler = mockServices.scheduler.mock();
  const backend = await startPluginBackend({
    features: [scheduler.factory],
    config: { usage: { prometheusUrl, timeoutSeconds: 5 } },
  });
  return { backend, progressRollouts: progressRolloutsWith(scheduler) };
}

function rolloutApi(
  backend: InferenceTestBackend,
  api: Api,
  progressRollouts: () => Promise<void>,
) {
  /** Polls the status (running the progress task between polls when asked) until `done` holds. */
  const until = (
    name: string,
    done: (status: any) => boolean,
    options: { progress: boolean },
  ) =>
    rolloutUntil(api, name, done, {
      progress: options.progress ? progressRollouts : undefined,
    });
  const publishAndKey = (name: string) => publishWithKey(backend, api, name);

  /** Sends `n` predictions; answers how many got each status. */
  async function send(predict: () => Promise<{ status: number }>, n: number) {
    const counts: Record<number, number> = {};
    for (let i = 0; i < n; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, n - i) }, predict),
      );
      for (const { status } of batch)
        counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }

  /** The model's rollout history rows, oldest first. */
  async function rolloutHistory(name: string) {
    const history = await api.get(`/models/local/tenant-a/${name}/history`);
    expect(history.status).toBe(200);
    return history.body.items
      .filter((e: { action: string }) => e.action.startsWith('rollout.'))
      .reverse();
  }

  /** A Ready Knative-mode model at V1, its rollout stable; answers its spec. */
  async function stableKnativeModel(name: string) {
    const spec = {
      ...irisSpec(name),
      deploymentMode: 'Knative' as const,
      storageUri: V1,
    };
    await api.createReadyModel('tenant-a', spec);
    await until(name, s => s.phase === 'stable', { progress: false });
    return spec;
  }

  /** Rolls a version that answers every request 500 out at 50 %; it must be accepted. */
  async function startFailingCanary(name: string, autoRollback: object) {
    const started = await api.post(rolloutPath(name), {
      storageUri: SERVING_ERRORS,
      canaryTrafficPercent: 50,
      autoRollback,
    });
    expect(started.status).toBe(200);
  }

  return {
    path: rolloutPath,
    until,
    publishAndKey,
    send,
    rolloutHistory,
    stableKnativeModel,
    startFailingCanary,
  };
}

describe('rollout figures when Prometheus cannot be read', () => {
  let backend: InferenceTestBackend;
  let api: Api;
  let rollouts: ReturnType<typeof rolloutApi>;
  let progressRollouts: () => Promise<void>;

  beforeAll(async () => {
    // A port nobody listens on: usage is configured, and every query is refused.
    const started = await startBackend(`http://127.0.0.1:${await freePort()}`);
    backend = started.backend;
    progressRollouts = started.progressRollouts;
    api = apiAs(backend, 'dev-a');
    rollouts = rolloutApi(backend, api, progressRollouts);
  });
  afterAll(() => backend?.stop());

  it('still answers the status, without figures and with the reason, and never rolls back blind', async () => {
    const name = 'iris-blind';
    await rollouts.stableKnativeModel(name);
    await rollouts.startFailingCanary(name, {
      errorRatePercent: 20,
      window: '5m',
    });
    const canary = await rollouts.until(name, s => s.phase === 'canary', {
      progress: false,
    });
    // minRequests took its default; the settings are on the InferenceService for every replica.
    expect(canary.autoRollback).toEqual(SETTINGS);
    const isvc = backend.sandbox.store.get(...ISVC, 'tenant-a', name);
    expect(
      JSON.parse(
        isvc!.metadata.annotations!['inference.platform.io/auto-rollback'],
      ),
    ).toEqual(SETTINGS);
    expect(canary.usageUnavailable).toEqual({
      code: 'unavailable',
      message:
        'Usage figures are unavailable: Prometheus (127.0.0.1) refused the connection',
    });
    expect(canary.stable.usage).toBeUndefined();
    expect(canary.candidate.usage).toBeUndefined();

    const resourceVersion = isvc!.metadata.resourceVersion;
    await progressRollouts();
    expect(
      backend.sandbox.store.get(...ISVC, 'tenant-a', name)!.metadata
        .resourceVersion,
    ).toBe(resourceVersion);
    expect(
      (await rollouts.rolloutHistory(name)).map(
        (e: { action: string }) => e.action,
      ),
    ).toEqual(['rollout.start']);
  });

  it('keeps the automatic roll back through a model edit that keeps the canary, and drops it with one that ends it', async () => {
    const name = 'iris-edited';
    const spec = await rollouts.stableKnativeModel(name);
    await rollouts.startFailingCanary(name, {
      errorRatePercent: 20,
      window: '5m',
    });
    const annotation = () =>
      backend.sandbox.store.get(...ISVC, 'tenant-a', name)!.metadata
        .annotations?.['inference.platform.io/auto-rollback'];
    const edit = (canaryTrafficPercent: number | undefined) =>
      api.put(`/models/local/tenant-a/${name}`, {
        ...spec,
        storageUri: SERVING_ERRORS,
        canaryTrafficPercent,
      });

    // A share change made by editing the model: the canary runs on, so does its roll back.
    expect((await edit(30)).status).toBe(200);
    expect(JSON.parse(annotation()!)).toEqual(SETTINGS);
    expect(
      (
        await rollouts.until(name, s => s.phase === 'canary', {
          progress: false,
        })
      ).autoRollback,
    ).toEqual(SETTINGS);

    // No share: all traffic to the latest revision, the canary is over and so is its roll back.
    expect((await edit(undefined)).status).toBe(200);
    expect(annotation()).toBeUndefined();
  });
});

describeWithPrometheus('rollout figures from Prometheus', () => {
  let backend: InferenceTestBackend;
  let prometheus: TestPrometheus;
  let api: Api;
  let rollouts: ReturnType<typeof rolloutApi>;
  let progressRollouts: () => Promise<void>;

  beforeAll(async () => {
    const port = await freePort();
    const started = await startBackend(`http://127.0.0.1:${port}`);
    backend = started.backend;
    progressRollouts = started.progressRollouts;
    prometheus = await startPrometheus({
      port,
      metricsUrl: backend.gateway!.metricsUrl,
      scrapeIntervalSeconds: 1,
    });
    api = apiAs(backend, 'dev-a');
    rollouts = rolloutApi(backend, api, progressRollouts);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await backend?.stop();
  });

  it("shows each Knative revision's error rate and latency, and rolls the failing one back once", async () => {
    const name = 'iris-errors-k';
    await rollouts.stableKnativeModel(name);
    const predict = await rollouts.publishAndKey(name);
    await rollouts.startFailingCanary(name, SETTINGS);
    await rollouts.until(
      name,
      s => s.phase === 'canary' && s.candidate?.percent === 50,
      { progress: false },
    );
    await backend.gateway!.objects.waitUntilCurrent();
    const answered = await rollouts.send(predict, 200);
    // Half and half, give or take: the stable revision answers 200, the new one 500.
    expect(Object.keys(answered).sort()).toEqual(['200', '500']);
    expect(answered[500]).toBeGreaterThanOrEqual(SETTINGS.minRequests);
    await prometheus.scrapedAfter(Date.now());

    const canary = (await api.get(rollouts.path(name))).body;
    expect(canary.usageUnavailable).toBeUndefined();
    expect(canary.autoRollback).toEqual(SETTINGS);
    expect(canary.stable).toMatchObject({
      revision: `${name}-predictor-00001`,
      usage: {
        window: '5m',
        requests: answered[200],
        errors: 0,
        errorRatePercent: 0,
      },
    });
    expect(canary.candidate).toMatchObject({
      revision: `${name}-predictor-00002`,
      usage: {
        window: '5m',
        requests: answered[500],
        errors: answered[500],
        errorRatePercent: 100,
      },
    });
    for (const side of [canary.stable, canary.candidate]) {
      expect(side.usage.latencyMs.p50).toEqual(expect.any(Number));
      expect(side.usage.latencyMs.p95).toBeGreaterThanOrEqual(
        side.usage.latencyMs.p50,
      );
    }

    // The scheduled task rolls back, as the portal, and says why.
    await progressRollouts();
    const rolledBack = await rollouts.until(
      name,
      s => s.phase === 'rolledBack' && s.stable?.percent === 100,
      { progress: false },
    );
    expect(rolledBack.automaticRollback).toEqual({
      at: expect.any(String),
      actor: PORTAL,
      reason: `rolled back automatically: the new version's error rate was 100 % (${answered[500]} of ${answered[500]} requests answered 5xx) over the last 5m, above the threshold of 20 %; all traffic to the previous version`,
    });
    // The rollout is over: its settings went with it.
    expect(rolledBack.autoRollback).toBeUndefined();
    await backend.gateway!.objects.waitUntilCurrent();
    expect(await rollouts.send(predict, 50)).toEqual({ 200: 50 });

    // Another run (or another replica's) finds nothing to do.
    await progressRollouts();
    const history = await rollouts.rolloutHistory(name);
    expect(
      history.map((e: { action: string; actor: string }) => [
        e.action,
        e.actor,
      ]),
    ).toEqual([
      ['rollout.start', 'user:default/dev-a'],
      ['rollout.rollback', PORTAL],
    ]);
    expect(history[1].summary).toBe(rolledBack.automaticRollback.reason);
  });

  it('rolls a failing Standard-mode candidate back, not before it has enough requests', async () => {
    const name = 'iris-errors-s';
    await api.createReadyModel('tenant-a', {
      ...irisSpec(name),
      storageUri: V1,
    });
    const predict = await rollouts.publishAndKey(name);
    const started = await api.post(rollouts.path(name), {
      storageUri: SERVING_ERRORS,
      canaryTrafficPercent: 50,
      autoRollback: { ...SETTINGS, minRequests: 40 },
    });
    expect(started.status).toBe(200);
    // The progress task gives the candidate its share once Ready; without requests it stays.
    await rollouts.until(
      name,
      s => s.phase === 'canary' && s.candidate?.percent === 50,
      { progress: true },
    );
    expect(
      backend.sandbox.store.get(...ISVC, 'tenant-a', `${name}-canary`)!.metadata
        .annotations!['inference.platform.io/auto-rollback'],
    ).toBeDefined();
    await backend.gateway!.objects.waitUntilCurrent();

    // Too few requests to prove anything: the task leaves the rollout alone.
    const few = await rollouts.send(predict, 20);
    await prometheus.scrapedAfter(Date.now());
    await progressRollouts();
    const stillCanary = (await api.get(rollouts.path(name))).body;
    expect(stillCanary.phase).toBe('canary');
    expect(stillCanary.candidate.usage).toMatchObject({
      requests: few[500],
      errorRatePercent: 100,
    });
    expect(stillCanary.stable.usage).toMatchObject({
      requests: few[200],
      errorRatePercent: 0,
    });

    const more = await rollouts.send(predict, 100);
    const failed = (few[500] ?? 0) + (more[500] ?? 0);
    expect(failed).toBeGreaterThanOrEqual(40);
    await prometheus.scrapedAfter(Date.now());
    await progressRollouts();
    const after = (await api.get(rollouts.path(name))).body;
    expect(after).toMatchObject({
      phase: 'stable',
      stable: { revision: name, percent: 100 },
      automaticRollback: {
        actor: PORTAL,
        reason: expect.stringContaining(
          `error rate was 100 % (${failed} of ${failed} requests answered 5xx) over the last 5m, above the threshold of 20 %`,
        ),
      },
    });
    expect(after.candidate).toBeUndefined();
    expect(
      backend.sandbox.store.get(...ISVC, 'tenant-a', `${name}-canary`),
    ).toBeUndefined();
    await backend.gateway!.objects.waitUntilCurrent();
    expect(await rollouts.send(predict, 50)).toEqual({ 200: 50 });
    await progressRollouts();
    expect(
      (await rollouts.rolloutHistory(name)).map(
        (e: { action: string }) => e.action,
      ),
    ).toEqual(['rollout.start', 'rollout.traffic', 'rollout.rollback']);
  });
});

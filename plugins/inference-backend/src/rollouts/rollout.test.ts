// Rollouts end to end against the Kubernetes sandbox (KServe's and Knative's simulated
// controllers) and the gateway double in front of the mock model server: the split is measured
// where users meet it, at the gateway, by which revision answered.
import { mockServices } from '@backstage/backend-test-utils';
import type { InferenceTestBackend } from '../__testUtils__';
import { apiAs, irisSpec, startPluginBackend } from '../__testUtils__';
import {
  progressRolloutsWith,
  publishWithKey,
  rolloutPath,
  rolloutUntil as rolloutUntilKit,
} from './__testUtils__/rolloutTestKit';

jest.setTimeout(120_000);

type Api = ReturnType<typeof apiAs>;

const V1 = 'gs://kfserving-examples/models/sklearn/1.0/model';
const V2 = 'gs://kfserving-examples/models/sklearn/1.1/model';
const V3 = 'gs://kfserving-examples/models/sklearn/1.2/model';
/** A storage URI the sandbox's storage initializer cannot fetch: the pods never become Ready. */
const BROKEN = 'gs://unreachable/iris/v2';
describe('rolling out a new version of a model', () => {
  let backend: InferenceTestBackend;
  let devA: Api;

  const scheduler = mockServices.scheduler.mock();
  const progressRollouts = progressRolloutsWith(scheduler);
  /** Polls the rollout until `done` holds, running the progress task between polls. */
  const rolloutUntil = (name: string, done: (status: any) => boolean) =>
    rolloutUntilKit(devA, name, done, {
      progress: progressRollouts,
      timeoutMs: 10_000,
    });
  const publishAndKey = (name: string) => publishWithKey(backend, devA, name);

  /** Starts a rollout of `storageUri` at `percent`; it must be accepted. */
  async function startRollout(
    name: string,
    storageUri: string,
    percent: number,
  ) {
    const started = await devA.post(rolloutPath(name), {
      storageUri,
      canaryTrafficPercent: percent,
    });
    expect(started.status).toBe(200);
  }

  /** Sends `n` predictions and counts the answers by the revision that served them. */
  async function servedBy(predict: () => Promise<any>, n: number) {
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, predict),
      );
      for (const answer of batch) {
        expect(answer.status).toBe(200);
        const revision = answer.servedBy.split('.')[0];
        counts[revision] = (counts[revision] ?? 0) + 1;
      }
    }
    return counts;
  }

  beforeAll(async () => {
    backend = await startPluginBackend({ features: [scheduler.factory] });
    devA = apiAs(backend, 'dev-a');
  });
  afterAll(() => backend?.stop());

  it('splits a Knative model 80/20 at the gateway, promotes it, then rolls a later version back', async () => {
    const name = 'iris-canary';
    await devA.createReadyModel('tenant-a', {
      ...irisSpec(name),
      deploymentMode: 'Knative',
      storageUri: V1,
    });
    const first = await rolloutUntil(name, s => s.phase === 'stable');
    expect(first).toMatchObject({
      supported: true,
      deploymentMode: 'Knative',
      stable: { revision: `${name}-predictor-00001`, percent: 100 },
    });
    const predict = await publishAndKey(name);

    // The review step: the plan, and nothing written.
    const isvcGeneration = () =>
      backend.sandbox.store.get(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        'tenant-a',
        name,
      )?.metadata.generation;
    const generationBefore = isvcGeneration();
    const review = await devA.post(`${rolloutPath(name)}?dryRun=true`, {
      storageUri: V2,
      canaryTrafficPercent: 20,
    });
    expect(review.status).toBe(200);
    expect(review.body.dryRun).toBe(true);
    expect(review.body.changes).toEqual([
      expect.objectContaining({
        action: 'update',
        kind: 'InferenceService',
        name,
      }),
    ]);
    expect(
      review.body.changes[0].fieldChanges.map((f: { path: string }) => f.path),
    ).toEqual(
      expect.arrayContaining([
        'spec.predictor.canaryTrafficPercent',
        'spec.predictor.model.storageUri',
      ]),
    );
    expect(isvcGeneration()).toBe(generationBefore);

    await startRollout(name, V2, 20);
    const canary = await rolloutUntil(
      name,
      s => s.phase === 'canary' && s.candidate?.percent === 20,
    );
    expect(canary).toMatchObject({
      canaryTrafficPercent: 20,
      stable: { revision: `${name}-predictor-00001`, percent: 80 },
      candidate: {
        revision: `${name}-predictor-00002`,
        percent: 20,
        ready: true,
      },
    });

    await backend.gateway!.objects.waitUntilCurrent();
    const split = await servedBy(predict, 1000);
    expect(Object.keys(split).sort()).toEqual([
      `${name}-predictor-00001`,
      `${name}-predictor-00002`,
    ]);
    expect(split[`${name}-predictor-00002`]).toBeGreaterThanOrEqual(150);
    expect(split[`${name}-predictor-00002`]).toBeLessThanOrEqual(250);

    const promoted = await devA.post(`${rolloutPath(name)}/promote`);
    expect(promoted.status).toBe(200);
    const afterPromote = await rolloutUntil(
      name,
      s =>
        s.phase === 'stable' &&
        s.stable?.revision === `${name}-predictor-00002`,
    );
    expect(afterPromote.stable.percent).toBe(100);
    expect(afterPromote.canaryTrafficPercent).toBeUndefined();
    await backend.gateway!.objects.waitUntilCurrent();
    expect(await servedBy(predict, 100)).toEqual({
      [`${name}-predictor-00002`]: 100,
    });

    // A third version at 30 %, rolled back: all traffic to the promoted one again.
    await startRollout(name, V3, 30);
    await rolloutUntil(name, s => s.phase === 'canary');
    const rolledBack = await devA.post(`${rolloutPath(name)}/rollback`);
    expect(rolledBack.status).toBe(200);
    const afterRollback = await rolloutUntil(
      name,
      s => s.phase === 'rolledBack' && s.stable?.percent === 100,
    );
    expect(afterRollback).toMatchObject({
      stable: { revision: `${name}-predictor-00002`, percent: 100 },
      candidate: { revision: `${name}-predictor-00003`, percent: 0 },
    });
    await backend.gateway!.objects.waitUntilCurrent();
    expect(await servedBy(predict, 100)).toEqual({
      [`${name}-predictor-00002`]: 100,
    });

    const history = await devA.get(`/models/local/tenant-a/${name}/history`);
    expect(
      history.body.items
        .map((e: { action: string }) => e.action)
        .filter((a: string) => a.startsWith('rollout.'))
        .reverse(),
    ).toEqual([
      'rollout.start',
      'rollout.promote',
      'rollout.start',
      'rollout.rollback',
    ]);
  });

  it('refuses what the rollout state does not allow and bad input, changing nothing', async () => {
    const name = 'iris-refusals';
    await devA.createReadyModel('tenant-a', {
      ...irisSpec(name),
      deploymentMode: 'Knative',
    });
    await rolloutUntil(name, s => s.phase === 'stable');
    const before = backend.sandbox.store.get(
      'serving.kserve.io/v1beta1',
      'InferenceService',
      'tenant-a',
      name,
    )?.metadata.resourceVersion;

    const noChange = await devA.post(rolloutPath(name), {
      canaryTrafficPercent: 20,
    });
    expect(noChange.status).toBe(400);
    expect(noChange.body.error.fields).toEqual([
      expect.objectContaining({ field: 'storageUri' }),
    ]);
    const badPercent = await devA.post(rolloutPath(name), {
      storageUri: V2,
      canaryTrafficPercent: 100,
    });
    expect(badPercent.status).toBe(400);
    expect(badPercent.body.error.fields).toEqual([
      expect.objectContaining({ field: 'canaryTrafficPercent' }),
    ]);
    const badUri = await devA.post(rolloutPath(name), {
      storageUri: 'file:///etc/passwd',
      canaryTrafficPercent: 20,
    });
    expect(badUri.status).toBe(400);
    const badAutoRollback = await devA.post(rolloutPath(name), {
      storageUri: V2,
      canaryTrafficPercent: 20,
      autoRollback: { errorRatePercent: 0, window: '1h' },
    });
    expect(badAutoRollback.status).toBe(400);
    expect(
      badAutoRollback.body.error.fields.map((f: { field: string }) => f.field),
    ).toEqual(['autoRollback.errorRatePercent', 'autoRollback.window']);
    // This backend has no usage (inference.usage.prometheusUrl): an automatic roll back could
    // never fire, so it is refused, and the status says why the versions have no figures.
    const withoutUsage = await devA.post(rolloutPath(name), {
      storageUri: V2,
      canaryTrafficPercent: 20,
      autoRollback: { errorRatePercent: 10, window: '5m' },
    });
    expect(withoutUsage.status).toBe(400);
    expect(withoutUsage.body.error.fields).toEqual([
      expect.objectContaining({
        field: 'autoRollback',
        message: expect.stringContaining('usage is not configured'),
      }),
    ]);
    const status = (await devA.get(rolloutPath(name))).body;
    expect(status.usageUnavailable).toEqual({
      code: 'notConfigured',
      message: expect.stringContaining('inference.usage.prometheusUrl'),
    });
    expect(status.stable.usage).toBeUndefined();

    const nothingToPromote = await devA.post(`${rolloutPath(name)}/promote`);
    expect(nothingToPromote.status).toBe(409);
    expect(nothingToPromote.body.error.message).toContain('no new version');
    expect((await devA.post(`${rolloutPath(name)}/rollback`)).status).toBe(409);

    // Who may do what is the permission matrix's (packages/backend inferencePermissionMatrix).
    expect(
      backend.sandbox.store.get(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        'tenant-a',
        name,
      )?.metadata.resourceVersion,
    ).toBe(before);
  });

  it('splits a Standard-mode model 80/20 between two InferenceServices by route weight, promotes it, then rolls a later version back', async () => {
    const name = 'iris-bluegreen';
    await devA.createReadyModel('tenant-a', {
      ...irisSpec(name),
      storageUri: V1,
    });
    const unpublished = await devA.get(rolloutPath(name));
    expect(unpublished.body).toMatchObject({
      deploymentMode: 'Standard',
      supported: false,
    });
    expect(unpublished.body.explanation).toContain('Publish the model');
    expect(
      (
        await devA.post(rolloutPath(name), {
          storageUri: V2,
          canaryTrafficPercent: 20,
        })
      ).status,
    ).toBe(409);

    const predict = await publishAndKey(name);
    const review = await devA.post(`${rolloutPath(name)}?dryRun=true`, {
      storageUri: V2,
      canaryTrafficPercent: 20,
    });
    expect(review.status).toBe(200);
    expect(
      review.body.changes.map(
        (c: { action: string; kind: string; name: string }) =>
          `${c.action} ${c.kind}/${c.name}`,
      ),
    ).toEqual([`create InferenceService/${name}-canary`]);
    expect(
      backend.sandbox.store.get(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        'tenant-a',
        `${name}-canary`,
      ),
    ).toBeUndefined();

    await startRollout(name, V2, 20);
    // The route gives the candidate its share once it is Ready (the scheduled progress task).
    const canary = await rolloutUntil(
      name,
      s => s.phase === 'canary' && s.candidate?.percent === 20,
    );
    expect(canary).toMatchObject({
      stable: { revision: name, percent: 80, ready: true },
      candidate: { revision: `${name}-canary`, percent: 20, ready: true },
    });
    await backend.gateway!.objects.waitUntilCurrent();
    const split = await servedBy(predict, 1000);
    expect(Object.keys(split).sort()).toEqual([
      `${name}-canary-predictor`,
      `${name}-predictor`,
    ]);
    expect(split[`${name}-canary-predictor`]).toBeGreaterThanOrEqual(150);
    expect(split[`${name}-canary-predictor`]).toBeLessThanOrEqual(250);
    // The split is what the publication should be: no drift, per model or in the platform-wide check.
    const drift = await devA.post(
      `/models/local/tenant-a/${name}/publication/drift-check`,
    );
    expect(drift.status).toBe(200);
    expect(drift.body.objects).toEqual([]);
    const all = await devA.post('/drift-check');
    expect(all.status).toBe(200);
    expect(all.body.drifted).toBe(0);
    // The candidate is changed or removed only through the rollout, never as a model of its own.
    const asModel = `/models/local/tenant-a/${name}-canary`;
    const deleted = await devA.delete(asModel);
    expect(deleted.status).toBe(409);
    expect(deleted.body.error.message).toContain('roll it back');
    expect(
      (
        await devA.put(asModel, {
          ...irisSpec(`${name}-canary`),
          storageUri: V3,
        })
      ).status,
    ).toBe(409);
    expect(
      backend.sandbox.store.get(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        'tenant-a',
        `${name}-canary`,
      ),
    ).toBeDefined();
    // Models lists do not show the candidate as a model of its own.
    const models = (await devA.get('/models')).body.items.map(
      (m: { name: string }) => m.name,
    );
    expect(models).toContain(name);
    expect(models).not.toContain(`${name}-canary`);

    expect((await devA.post(`${rolloutPath(name)}/promote`)).status).toBe(200);
    const promoted = await rolloutUntil(
      name,
      s => s.phase === 'stable' && !s.candidate,
    );
    expect(promoted.stable).toMatchObject({ revision: name, percent: 100 });
    const isvc = backend.sandbox.store.get(
      'serving.kserve.io/v1beta1',
      'InferenceService',
      'tenant-a',
      name,
    ) as any;
    expect(isvc.spec.predictor.model.storageUri).toBe(V2);
    expect(
      backend.sandbox.store.get(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        'tenant-a',
        `${name}-canary`,
      ),
    ).toBeUndefined();
    await backend.gateway!.objects.waitUntilCurrent();
    expect(await servedBy(predict, 100)).toEqual({
      [`${name}-predictor`]: 100,
    });

    await startRollout(name, V3, 30);
    await rolloutUntil(name, s => s.phase === 'canary');
    expect((await devA.post(`${rolloutPath(name)}/rollback`)).status).toBe(200);
    const rolledBack = (await devA.get(rolloutPath(name))).body;
    expect(rolledBack).toMatchObject({
      phase: 'stable',
      stable: { revision: name, percent: 100 },
    });
    expect(rolledBack.candidate).toBeUndefined();
    await backend.gateway!.objects.waitUntilCurrent();
    expect(await servedBy(predict, 100)).toEqual({
      [`${name}-predictor`]: 100,
    });
    // No candidate objects are left behind in the publication.
    const leftovers = ['Backend', 'AuthorizationPolicy'].flatMap(kind =>
      backend.sandbox.store
        .list(
          kind === 'Backend'
            ? 'gateway.envoyproxy.io/v1alpha1'
            : 'security.istio.io/v1',
          kind,
          'tenant-a',
        )
        .filter(o => o.metadata.name?.includes(`${name}-canary`)),
    );
    expect(leftovers).toEqual([]);

    const history = await devA.get(`/models/local/tenant-a/${name}/history`);
    expect(
      history.body.items
        .map((e: { action: string; actor: string }) => e.action)
        .filter((a: string) => a.startsWith('rollout.'))
        .reverse(),
    ).toEqual([
      'rollout.start',
      'rollout.traffic',
      'rollout.promote',
      'rollout.promote',
      'rollout.start',
      'rollout.traffic',
      'rollout.rollback',
    ]);
  });

  it.each([
    ['Knative', 'iris-broken-k', 'ModelLoadFailed'],
    ['Standard', 'iris-broken-s', 'ModelLoadFailed'],
  ])(
    'keeps all traffic on the current version of a %s model when the new one never becomes Ready, and says why',
    async (deploymentMode, name, reason) => {
      await devA.createReadyModel('tenant-a', {
        ...irisSpec(name),
        deploymentMode,
        storageUri: V1,
      });
      const predict = await publishAndKey(name);
      const current =
        deploymentMode === 'Knative'
          ? `${name}-predictor-00001`
          : `${name}-predictor`;
      await startRollout(name, BROKEN, 50);
      const failed = await rolloutUntil(name, s => s.phase === 'failed');
      expect(failed.stable.percent).toBe(100);
      expect(failed.candidate).toMatchObject({
        ready: false,
        percent: 0,
        reason,
      });
      expect(failed.explanation).toContain(reason);
      await backend.gateway!.objects.waitUntilCurrent();
      expect(await servedBy(predict, 100)).toEqual({ [current]: 100 });

      const promote = await devA.post(`${rolloutPath(name)}/promote`);
      expect(promote.status).toBe(409);
      expect(promote.body.error.message).toContain('not Ready');

      expect((await devA.post(`${rolloutPath(name)}/rollback`)).status).toBe(
        200,
      );
      await backend.gateway!.objects.waitUntilCurrent();
      expect(await servedBy(predict, 100)).toEqual({ [current]: 100 });
    },
  );
});

import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  startPluginBackend,
  storedObject,
} from '../__testUtils__';
import { publicationObjectNames } from '../publication/build/objectNames';

jest.setTimeout(60_000);

const iris = { cluster: 'local', namespace: 'tenant-a', name: 'iris' };
const other = { cluster: 'local', namespace: 'tenant-a', name: 'other' };
const names = publicationObjectNames('tenant-a', 'iris');

/**
 * The agent actions through the real actions registry of the test backend (its invoke route, as
 * the MCP backend calls it), as dev-a. Who may do what is the permission matrix's business
 * (packages/backend); this is what the actions do and refuse.
 */
describe('agent actions', () => {
  let backend: InferenceTestBackend;
  let devA: ReturnType<typeof apiAs>;
  /** Every output any action returned here, to look for key values at the end. */
  const outputs: string[] = [];

  const invoke = async (name: string, input: object) => {
    const response = await devA.post(
      `/.backstage/actions/v2/actions/inference:${name}/invoke`,
      { input },
    );
    outputs.push(JSON.stringify(response.body));
    return response;
  };
  const plan = async (limits = { requestsPerMinute: 100 }) => {
    const planned = await invoke('plan-publish', {
      model: iris,
      publication: apiKeyPublishRequest('iris', limits),
    });
    expect(planned.status).toBe(200);
    return planned.body.output as { planId: string; changes: string[] };
  };
  const trafficPolicy = () =>
    storedObject(
      backend,
      'backendTrafficPolicy',
      'tenant-a',
      names.trafficPolicy,
    );

  beforeAll(async () => {
    backend = await startPluginBackend();
    devA = apiAs(backend, 'dev-a');
    await devA.createReadyModel('tenant-a', irisSpec());
    await devA.createReadyModel('tenant-a', irisSpec('other'));
  });
  afterAll(() => backend?.stop());

  it('lists models, filtered by tenant and readiness', async () => {
    const all = await invoke('list-models', {});
    expect(all.status).toBe(200);
    expect(all.body.output.models.map((m: { name: string }) => m.name)).toEqual(
      ['iris', 'other'],
    );
    const none = await invoke('list-models', { tenant: 'tenant-b' });
    expect(none.body.output.models).toEqual([]);
    const notReady = await invoke('list-models', { ready: false });
    expect(notReady.body.output.models).toEqual([]);
  });

  it('publishes only what a plan showed, once, recorded as done through an agent', async () => {
    const planned = await plan();
    expect(planned.changes).toEqual(
      expect.arrayContaining([
        `create SecurityPolicy tenant-a/${names.securityPolicy}`,
        `create BackendTrafficPolicy tenant-a/${names.trafficPolicy}`,
      ]),
    );
    // Planning changed nothing.
    expect(trafficPolicy()).toBeUndefined();

    const published = await invoke('publish', {
      model: iris,
      planId: planned.planId,
    });
    expect(published.status).toBe(200);
    expect(published.body.output).toMatchObject({
      publicModelName: 'iris',
      endpoint: expect.stringContaining('/models/tenant-a/iris'),
    });
    expect(
      (trafficPolicy()?.spec as any).rateLimit.global.rules[0].limit.requests,
    ).toBe(100);

    const [latest] = (await devA.get('/models/local/tenant-a/iris/history'))
      .body.items;
    expect(latest).toMatchObject({
      action: 'publication.publish',
      actor: 'user:default/dev-a',
      via: 'agent action inference:publish',
      outcome: 'succeeded',
    });

    const again = await invoke('publish', {
      model: iris,
      planId: planned.planId,
    });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toMatch(/No publish plan .* of yours/);
  });

  it('refuses a plan of another model, an unknown plan and a stale plan, changing nothing', async () => {
    const planned = await plan({ requestsPerMinute: 7 });
    const wrongModel = await invoke('publish', {
      model: other,
      planId: planned.planId,
    });
    expect(wrongModel.status).toBe(409);
    expect(wrongModel.body.error.message).toContain(
      'was made for local/tenant-a/iris',
    );

    const unknown = await invoke('publish', {
      model: iris,
      planId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);

    // The publication changes after the plan: publishing the old plan would undo that unseen.
    const stale = await plan({ requestsPerMinute: 7 });
    const changed = await devA.put(
      '/models/local/tenant-a/iris/publication',
      apiKeyPublishRequest('iris', { requestsPerMinute: 50 }),
    );
    expect(changed.status).toBe(200);
    const refused = await invoke('publish', {
      model: iris,
      planId: stale.planId,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/changed since the plan/);
    expect(
      (trafficPolicy()?.spec as any).rateLimit.global.rules[0].limit.requests,
    ).toBe(50);
  });

  it.each([
    ['a path in the model name', { model: { ...iris, name: '../iris' } }],
    ['an unknown field', { model: iris, planId: 'x', admin: true }],
    [
      'a negative limit',
      {
        model: iris,
        publication: {
          publicModelName: 'iris',
          auth: { apiKey: true },
          limits: { requestsPerMinute: -1 },
        },
      },
    ],
    ['a very long name', { model: { ...iris, name: 'a'.repeat(10_000) } }],
  ])('refuses %s with a validation message', async (_what, input) => {
    // generation: controllers may still be writing the policy's status meanwhile.
    const before = trafficPolicy()?.metadata.generation;
    const action = 'publication' in input ? 'plan-publish' : 'publish';
    const response = await invoke(action, input);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/Invalid input/);
    expect(trafficPolicy()?.metadata.generation).toBe(before);
  });

  it('never returns a key value', async () => {
    const created = await devA.post(
      '/models/local/tenant-a/iris/publication/keys',
      {
        name: 'agent-test',
      },
    );
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    const keys = await invoke('list-api-keys', { model: iris });
    expect(keys.body.output.keys).toContainEqual(
      expect.objectContaining({ name: 'agent-test', last4: key.slice(-4) }),
    );
    const model = await invoke('get-model', { model: iris });
    expect(model.body.output.publication.apiKeys).toHaveLength(1);
    await backend.gateway?.objects.waitUntilCurrent(15_000);
    const tested = await invoke('test-model', {
      model: iris,
      request: {
        protocol: 'kserve-v1',
        target: 'gateway',
        body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
      },
    });
    expect(tested.status).toBe(200);
    expect(tested.body.output).toMatchObject({ status: 200 });
    expect(tested.body.output).not.toHaveProperty('headers');
    for (const output of outputs) expect(output).not.toContain(key);
  });

  it('says usage is not configured when there is no Prometheus', async () => {
    const response = await invoke('get-usage', { model: iris, window: '1h' });
    expect(response.status).toBe(501);
    expect(response.body.error.message).toContain(
      'inference.usage.prometheusUrl',
    );
  });

  it('plans a rollout by default and applies it only when asked, recorded as done through an agent', async () => {
    const canary = { cluster: 'local', namespace: 'tenant-a', name: 'canary' };
    await devA.createReadyModel('tenant-a', {
      ...irisSpec('canary'),
      deploymentMode: 'Knative',
    });
    const generation = () =>
      storedObject<{ metadata: { generation: number } }>(
        backend,
        'inferenceService',
        'tenant-a',
        'canary',
      )?.metadata.generation;
    const before = generation();
    const operation = {
      action: 'start',
      version: { storageUri: 'gs://models/iris/v2', canaryTrafficPercent: 10 },
    };
    // An automatic roll back needs usage, which this backend does not have: refused, at its field.
    const withAutoRollback = await invoke('change-rollout', {
      model: canary,
      operation: {
        ...operation,
        version: {
          ...operation.version,
          autoRollback: { errorRatePercent: 5, window: '5m' },
        },
      },
      dryRun: false,
    });
    expect(withAutoRollback.status).toBe(400);
    expect(withAutoRollback.body.error.message).toContain(
      'autoRollback: needs usage figures',
    );
    expect(generation()).toBe(before);
    // The status says why it has no figures.
    expect(
      (await invoke('get-rollout', { model: canary })).body.output.rollout
        .usageUnavailable,
    ).toMatchObject({ code: 'notConfigured' });

    const planned = await invoke('change-rollout', {
      model: canary,
      operation,
    });
    expect(planned.status).toBe(200);
    expect(planned.body.output).toMatchObject({
      dryRun: true,
      changes: ['update InferenceService tenant-a/canary'],
      rollout: { phase: 'stable' },
    });
    expect(generation()).toBe(before);

    const applied = await invoke('change-rollout', {
      model: canary,
      operation,
      dryRun: false,
    });
    expect(applied.status).toBe(200);
    expect(applied.body.output.dryRun).toBe(false);
    expect(generation()).toBe(before! + 1);
    const status = await invoke('get-rollout', { model: canary });
    expect(status.body.output.rollout.canaryTrafficPercent).toBe(10);

    const history = await devA.get('/models/local/tenant-a/canary/history');
    expect(history.body.items[0]).toMatchObject({
      action: 'rollout.start',
      via: 'agent action inference:change-rollout',
    });
  });
});

// A change a replica left half applied when it stopped (its intent row and an expired lock lease
// are what it leaves in the shared database) is applied again, whole, by the recovery task of any
// other replica; a change whose holder still holds its lease is left alone. The multi-replica
// tests of packages/backend/src/replicas kill a real process; here what it leaves behind is faked.
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import type { InferenceTestBackend } from '../__testUtils__';
import {
  apiAs,
  irisSpec,
  startPluginBackend,
  storedObject,
  storedRequestLimit,
} from '../__testUtils__';
import { publicationObjectNames } from '../publication/build/objectNames';
import { createIntentStore } from './IntentStore';

jest.setTimeout(60_000);

const model = { cluster: 'local', namespace: 'tenant-a', name: 'iris' };
const names = publicationObjectNames('tenant-a', 'iris');
const path = '/models/local/tenant-a/iris';

describe('completing a change a stopped replica left half applied', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const scheduler = mockServices.scheduler.mock();
  let backend: InferenceTestBackend;
  let knex: Awaited<ReturnType<typeof databases.init>>;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    backend = await startPluginBackend({
      features: [scheduler.factory, mockServices.database.factory({ knex })],
    });
  });
  afterAll(() => backend?.stop());

  const task = () => {
    const found = scheduler.scheduleTask.mock.calls
      .map(([d]) => d as SchedulerServiceTaskInvocationDefinition)
      .find(d => d.id === 'inference-complete-interrupted-changes');
    expect(found).toMatchObject({ scope: 'local' });
    return () => found!.fn(new AbortController().signal);
  };
  const limitOf = () => storedRequestLimit(backend, 'tenant-a', 'iris');
  const hostnameOf = () =>
    storedObject<any>(backend, 'httpRoute', 'tenant-a', names.route)?.spec
      .hostnames[0];

  /** What a replica wrote before it died: one object, as the portal applies it. */
  async function applyAsPortal(object: any, plural: string) {
    const { apiVersion, kind, metadata } = object;
    const res = await fetch(
      `${backend.sandbox.url}/apis/${apiVersion}/namespaces/${metadata.namespace}/${plural}/${metadata.name}?fieldManager=inference-portal&force=true`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/apply-patch+yaml' },
        body: JSON.stringify({
          apiVersion,
          kind,
          metadata: { name: metadata.name, namespace: metadata.namespace },
          spec: object.spec,
        }),
      },
    );
    expect(res.status).toBe(200);
  }

  it('applies a publish again, whole, once the lease of the replica that died between its writes ran out', async () => {
    const api = apiAs(backend, 'dev-a');
    await api.createReadyModel('tenant-a', irisSpec('iris'));
    await api.publish('tenant-a', 'iris', {
      publicModelName: 'iris',
      auth: { apiKey: true },
      limits: { requestsPerMinute: 60 },
    });
    const key = await api.post(`${path}/publication/keys`, { name: 'ci' });
    expect(key.status).toBe(201);

    // The dead replica was publishing on another hostname with a higher limit: its rate limit
    // policy landed (guards are written first), its route did not.
    const intents = createIntentStore(knex);
    await intents.begin({
      model,
      action: 'publication.publish',
      actor: 'user:default/dev-a',
      summary: '2 object(s) changed',
      target: {
        request: {
          publicModelName: 'iris',
          hostname: 'iris.inference-in-a-box',
          auth: { apiKey: true, jwt: false },
          limits: { requestsPerMinute: 120 },
        },
        modelType: 'predictive',
      },
      startedAt: new Date(),
    });
    const policy = storedObject<any>(
      backend,
      'backendTrafficPolicy',
      'tenant-a',
      names.trafficPolicy,
    )!;
    policy.spec.rateLimit.global.rules[0].limit.requests = 120;
    await applyAsPortal(policy, 'backendtrafficpolicies');
    expect([limitOf(), hostnameOf()]).toEqual([
      120,
      'api.router.inference-in-a-box',
    ]);

    // Its lease has not run out yet: the holder may still be alive, nothing is touched.
    await knex('inference_publication_locks').insert({
      lock_key: 'local/tenant-a/iris',
      holder: 'dead-replica',
      expires_at: Date.now() + 60_000,
    });
    await task()();
    expect([limitOf(), hostnameOf()]).toEqual([
      120,
      'api.router.inference-in-a-box',
    ]);
    expect(await intents.get(model)).toBeDefined();

    // Once it ran out, the next look takes the lock over and applies the whole change.
    await knex('inference_publication_locks').update({
      expires_at: Date.now() - 1,
    });
    await task()();
    expect([limitOf(), hostnameOf()]).toEqual([120, 'iris.inference-in-a-box']);
    // Keys as the Secret holds them; nothing of the dead replica is left.
    const publication = await api.get(`${path}/publication`);
    expect(publication.body.apiKeys.map((k: { id: string }) => k.id)).toEqual([
      key.body.id,
    ]);
    expect(await intents.get(model)).toBeUndefined();
    expect(await knex('inference_publication_locks')).toEqual([]);
    const history = await api.get(`${path}/history`);
    expect(history.body.items[0]).toMatchObject({
      action: 'publication.publish',
      actor: 'plugin:inference',
      outcome: 'succeeded',
      summary:
        'Applied again after the replica applying publication.publish by user:default/dev-a stopped midway (2 object(s) changed)',
    });

    // Done once: the next look finds nothing.
    await task()();
    expect((await api.get(`${path}/history`)).body.items).toHaveLength(
      history.body.items.length,
    );
  });

  it('finishes an unpublish the dead replica had begun', async () => {
    const intents = createIntentStore(knex);
    await intents.begin({
      model,
      action: 'publication.unpublish',
      actor: 'user:default/dev-a',
      startedAt: new Date(),
    });
    // It had deleted the route (routes go first), not the rest.
    const res = await fetch(
      `${backend.sandbox.url}/apis/gateway.networking.k8s.io/v1/namespaces/tenant-a/httproutes/${names.route}`,
      { method: 'DELETE' },
    );
    expect(res.status).toBe(200);
    expect(limitOf()).toBeDefined();
    await task()();
    expect(limitOf()).toBeUndefined();
    expect(
      storedObject(backend, 'secret', 'tenant-a', names.apiKeysSecret),
    ).toBeUndefined();
    expect(await intents.get(model)).toBeUndefined();
    expect(
      (await apiAs(backend, 'dev-a').get(`${path}/history`)).body.items[0],
    ).toMatchObject({
      action: 'publication.unpublish',
      actor: 'plugin:inference',
    });
  });

  it('leaves nothing to finish after a change that completed or failed', async () => {
    const api = apiAs(backend, 'dev-a');
    await api.publish('tenant-a', 'iris', {
      publicModelName: 'iris',
      auth: { apiKey: true },
      limits: {},
    });
    backend.sandbox.faults.add({
      method: 'PATCH',
      path: `/apis/gateway.networking.k8s.io/v1/namespaces/tenant-a/httproutes/${names.route}`,
      status: 500,
    });
    const failed = await api.put(`${path}/publication`, {
      publicModelName: 'iris',
      hostname: 'iris.inference-in-a-box',
      auth: { apiKey: true },
      limits: {},
    });
    backend.sandbox.faults.clear();
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await knex('inference_publication_intents')).toEqual([]);
  });
});

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { InferenceTestBackend } from '../__testUtils__';
import { publicationObjectNames } from './build/objectNames';
import {
  apiAs,
  apiKeyPublishRequest,
  irisSpec,
  startPluginBackend,
  storedApiKeys,
  storedObject,
  storedRequestLimit,
} from '../__testUtils__';

jest.setTimeout(60_000);

/**
 * A change planned from the publication cache (publicationCache.ts) against the Kubernetes
 * sandbox's real watches: once the watch has seen the publication's last change, a limit change
 * lists nothing but the Secret (and the model with its blue-green candidate, one list of
 * InferenceServices), and still sees what was changed by hand meanwhile.
 */

const CACHED_RESOURCES = [
  'backends',
  'securitypolicies',
  'backendtrafficpolicies',
  'aiservicebackends',
  'aigatewayroutes',
  'httproutes',
  'authorizationpolicies',
];

/** What a change planned from the cache lists: the model (with its candidate) and the Secret. */
const FROM_CACHE = ['inferenceservices', 'secrets'];

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function eventually(read: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await sleep(50);
  }
}

describe('changes planned from the publication cache', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Awaited<ReturnType<typeof databases.init>>;
  let backend: InferenceTestBackend;
  let keyIds: string[];
  let devA: ReturnType<typeof apiAs>;
  const path = '/models/local/tenant-a/iris/publication';
  const limit = (requestsPerMinute: number) =>
    apiKeyPublishRequest('iris', { requestsPerMinute });
  /** The lists a request made in the tenant namespace, by resource. */
  const listsIn = () =>
    backend.sandbox.audit
      .entries(e => e.verb === 'list' && e.namespace === 'tenant-a')
      .map(e => e.resource)
      .sort();
  const names = publicationObjectNames('tenant-a', 'iris');
  const limitOf = () => storedRequestLimit(backend, 'tenant-a', 'iris');

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    backend = await startPluginBackend({
      features: [mockServices.database.factory({ knex })],
    });
    devA = apiAs(backend, 'dev-a');
    await devA.createReadyModel('tenant-a', irisSpec());
    await devA.publish('tenant-a', 'iris', limit(60));
    const key = await devA.post(`${path}/keys`, { name: 'k1' });
    if (key.status !== 201) throw new Error(`key not created: ${key.status}`);
    keyIds = Object.keys(storedApiKeys(backend, 'tenant-a', 'iris'));
    // The first change after the publish reads afresh and starts the namespace's watches; once
    // they listed and the watch delivered the last change, changes plan from them.
    let requestsPerMinute = 61;
    await eventually(async () => {
      backend.sandbox.audit.clear();
      const changed = await devA.put(path, limit(requestsPerMinute++));
      if (changed.status !== 200) throw new Error(`change: ${changed.status}`);
      return listsIn().join() === FROM_CACHE.join();
    }, 'a change planned from the watches of tenant-a');
  });
  afterAll(() => backend?.stop());

  it('plans a limit change without listing anything but the Secret, and applies it', async () => {
    await sleep(200); // the watch delivers the previous change
    backend.sandbox.audit.clear();
    const changed = await devA.put(path, limit(90));
    expect(changed.status).toBe(200);
    expect(listsIn()).toEqual(FROM_CACHE);
    expect(
      changed.body.changes.filter((c: any) => c.action !== 'unchanged'),
    ).toEqual([
      expect.objectContaining({
        kind: 'BackendTrafficPolicy',
        action: 'update',
      }),
    ]);
    expect(limitOf()).toBe(90);
    // The keys were read from the Secret, and kept.
    expect(Object.keys(storedApiKeys(backend, 'tenant-a', 'iris'))).toEqual(
      keyIds,
    );
  });

  it('answers a test call with the route from the watch, reading only the model and the Secret', async () => {
    await sleep(200); // the watch delivers the previous change
    backend.sandbox.audit.clear();
    const prediction = await devA.testModel('tenant-a', 'iris', {
      protocol: 'kserve-v1',
      target: 'gateway',
      body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
    });
    expect(prediction.status).toBe(200);
    expect(prediction.body.status).toBe(200);
    expect(listsIn()).toEqual(['secrets']);
    expect(
      backend.sandbox.audit
        .entries(e => e.verb === 'get' && e.namespace === 'tenant-a')
        .map(e => e.resource),
    ).toEqual(['inferenceservices']);
  });

  it('sees a route deleted by hand after its last change, and restores it', async () => {
    const deleted = await fetch(
      `${backend.sandbox.url}/apis/gateway.networking.k8s.io/v1/namespaces/tenant-a/httproutes/${names.route}`,
      { method: 'DELETE' },
    );
    expect(deleted.status).toBe(200);
    await sleep(200); // the watch delivers the deletion
    backend.sandbox.audit.clear();
    const changed = await devA.put(path, limit(91));
    expect(changed.status).toBe(200);
    expect(listsIn()).toEqual(FROM_CACHE);
    expect(
      changed.body.changes
        .filter((c: any) => c.action !== 'unchanged')
        .map((c: any) => `${c.action} ${c.kind}`)
        .sort(),
    ).toEqual(['create HTTPRoute', 'update BackendTrafficPolicy']);
    expect(
      storedObject(backend, 'httpRoute', 'tenant-a', names.route),
    ).toBeDefined();
  });

  it('lists afresh when the record names a version its watch has not delivered', async () => {
    // As when another replica's change is not delivered yet: the record's versions are ahead.
    const [row] = await knex('inference_publication_records').where({
      publication_key: 'local/tenant-a/iris',
    });
    const written = JSON.parse(row.written_versions);
    const route = Object.keys(written).find(k => k.startsWith('HTTPRoute/'))!;
    await knex('inference_publication_records')
      .where({ publication_key: 'local/tenant-a/iris' })
      .update({
        written_versions: JSON.stringify({ ...written, [route]: '999999' }),
      });
    backend.sandbox.audit.clear();
    const changed = await devA.put(path, limit(92));
    expect(changed.status).toBe(200);
    expect(listsIn()).toEqual(
      [...CACHED_RESOURCES, 'inferenceservices', 'secrets'].sort(),
    );
    expect(limitOf()).toBe(92);
  });
});

import { TestDatabases } from '@backstage/backend-test-utils';
import {
  createHistoryStoreFromKnex,
  migrateHistoryStore,
} from './HistoryStore';

// SQLite always; PostgreSQL 15 (Debian's) when scripts/test.sh has started one and exported its
// connection string. The test script also sets INFERENCE_REQUIRE_POSTGRES so a missing database fails
// there instead of silently testing SQLite only.
jest.setTimeout(60_000);

const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const withPostgres = Boolean(process.env[PG_ENV]);
const databases = TestDatabases.create({
  ids: withPostgres ? ['SQLITE_3', 'POSTGRES_15'] : ['SQLITE_3'],
});

it('runs against PostgreSQL when the test script requires it', () => {
  const required = Boolean(process.env.INFERENCE_REQUIRE_POSTGRES);
  expect({ required, withPostgres }).not.toEqual({
    required: true,
    withPostgres: false,
  });
  expect(databases.eachSupportedId().length).toBe(withPostgres ? 2 : 1);
});

const model = { cluster: 'local', namespace: 'tenant-a', name: 'sklearn-iris' };
const where = {
  cluster: model.cluster,
  namespace: model.namespace,
  model: model.name,
};

describe.each(databases.eachSupportedId())('HistoryStore on %p', databaseId => {
  it('migrates, records and lists a model’s history newest first', async () => {
    const knex = await databases.init(databaseId);
    await migrateHistoryStore(knex);
    await migrateHistoryStore(knex); // idempotent
    const store = createHistoryStoreFromKnex(knex);

    await store.record({
      ...where,
      action: 'publication.publish',
      actor: 'user:default/dev-a',
      tenant: 'tenant-a',
      outcome: 'succeeded',
      summary: '7 objects created',
      changes: [
        {
          action: 'create',
          apiVersion: 'v1',
          kind: 'Secret',
          namespace: 'tenant-a',
          name: 'sklearn-iris-api-keys',
          fieldChanges: [],
        },
      ],
    });
    await new Promise(r => setTimeout(r, 5));
    await store.record({
      ...where,
      action: 'apikey.create',
      actor: 'user:default/dev-a',
      tenant: 'tenant-a',
      outcome: 'succeeded',
    });
    await store.record({
      ...where,
      model: 'other',
      action: 'model.delete',
      actor: 'user:default/dev-a',
      tenant: 'tenant-a',
      outcome: 'failed',
    });

    const history = await store.listForModel(model);
    expect(history.map(h => h.action)).toEqual([
      'apikey.create',
      'publication.publish',
    ]);
    expect(history[1].changes?.[0]).toMatchObject({
      kind: 'Secret',
      action: 'create',
    });
    expect(history[1].summary).toBe('7 objects created');
    expect(new Date(history[0].at).getTime()).toBeGreaterThanOrEqual(
      new Date(history[1].at).getTime(),
    );
    expect(
      await store.listForModel({ ...model, namespace: 'tenant-b' }),
    ).toEqual([]);
  });
});

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { startPluginBackend } from '../__testUtils__';
import type { InferenceTestBackend } from '../__testUtils__';

jest.setTimeout(60_000);

describe('the plugin on the embedded SQLite database', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let backend: InferenceTestBackend;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    backend = await startPluginBackend({
      features: [mockServices.database.factory({ knex })],
    });
  });
  afterAll(() => backend?.stop());

  it('keeps the statements it compiles on its connection (cacheSqliteStatements.ts)', async () => {
    expect((knex.client as { driverName?: string }).driverName).toBe(
      'better-sqlite3',
    );
    const connection = await knex.client.acquireConnection();
    try {
      const sql = 'select count(*) as n from inference_history';
      // better-sqlite3 answers a new statement for every prepare unless it is kept.
      expect(connection.prepare(sql)).toBe(connection.prepare(sql));
      expect(connection.prepare(sql).all()).toEqual([{ n: 0 }]);
    } finally {
      await knex.client.releaseConnection(connection);
    }
  });
});

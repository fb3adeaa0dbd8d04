import knexFactory, { Knex } from 'knex';
import { cacheSqliteStatements } from './cacheSqliteStatements';

describe('cacheSqliteStatements', () => {
  let knex: Knex;
  let prepare: jest.SpyInstance;
  /** How often better-sqlite3 compiled a statement whose SQL contains `fragment`. */
  const compiled = (fragment: string) =>
    prepare.mock.calls.filter(([sql]) => String(sql).includes(fragment)).length;

  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    // As in the plugin: the connection exists already when the cache is installed.
    await knex.schema.createTable('items', t => {
      t.string('id').primary();
      t.integer('count');
    });
    // The pool's one connection (better-sqlite3's Database), watched where knex calls it.
    const connection = await knex.client.acquireConnection();
    prepare = jest.spyOn(connection, 'prepare');
    await knex.client.releaseConnection(connection);
  });

  afterEach(async () => {
    await knex.destroy();
  });

  it('compiles a query once and runs it with each call’s values', async () => {
    cacheSqliteStatements(knex);
    for (let i = 0; i < 5; i++) {
      await knex('items').insert({ id: `item-${i}`, count: i });
    }
    const counts = await Promise.all(
      [3, 1, 4].map(i =>
        knex('items')
          .where({ id: `item-${i}` })
          .first('count'),
      ),
    );
    expect(counts).toEqual([{ count: 3 }, { count: 1 }, { count: 4 }]);
    expect(compiled('insert into `items`')).toBe(1);
    expect(compiled('select `count` from `items`')).toBe(1);
  });

  it('answers rows for statements that return them, as before', async () => {
    cacheSqliteStatements(knex);
    const insert = (id: string) =>
      knex('items')
        .insert({ id, count: 1 })
        .onConflict('id')
        .ignore()
        .returning('id');
    expect(await insert('a')).toEqual([{ id: 'a' }]);
    expect(await insert('a')).toEqual([]);
    expect(await insert('b')).toEqual([{ id: 'b' }]);
    expect(await knex('items').where({ id: 'a' }).update({ count: 2 })).toBe(1);
    expect(await knex('items').where({ id: 'zzz' }).delete()).toBe(0);
  });

  it('answers the columns a table has now after a migration changed it', async () => {
    cacheSqliteStatements(knex);
    await knex('items').insert({ id: 'a', count: 1 });
    expect(await knex('items').select()).toEqual([{ id: 'a', count: 1 }]);
    await knex.schema.alterTable('items', t => {
      t.string('owner').defaultTo('nobody');
    });
    expect(await knex('items').select()).toEqual([
      { id: 'a', count: 1, owner: 'nobody' },
    ]);
  });

  it('keeps the most recently used statements up to its size', async () => {
    cacheSqliteStatements(knex, 2);
    const byId = () => knex('items').where({ id: 'a' }).first();
    const byCount = () => knex('items').where({ count: 1 }).first();
    const all = () => knex('items').select('id');
    await byId();
    await byCount();
    await byId(); // now the most recent of the two
    await all(); // the cache is full: byCount goes
    await byId();
    await byCount();
    expect(compiled('where `id` = ?')).toBe(1);
    expect(compiled('where `count` = ?')).toBe(2);
  });

  it('keeps nothing of a statement that does not compile', async () => {
    cacheSqliteStatements(knex);
    const broken = () => knex.raw('select * from missing_table');
    await expect(broken()).rejects.toThrow(/no such table/);
    await knex.schema.createTable('missing_table', t => t.string('id'));
    expect(await broken()).toEqual([]);
  });

  it('leaves the drivers of other databases alone', async () => {
    const pg = knexFactory({
      client: 'pg',
      connection: { host: '127.0.0.1', port: 1, user: 'nobody' },
    });
    try {
      cacheSqliteStatements(pg);
      const pool = (pg.client as { pool: { emitter: NodeJS.EventEmitter } })
        .pool;
      expect(pool.emitter.listenerCount('acquireSuccess')).toBe(0);
    } finally {
      await pg.destroy();
    }
  });
});

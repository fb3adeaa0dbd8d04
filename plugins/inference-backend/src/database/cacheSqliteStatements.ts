import type { Knex } from 'knex';

/** The part of a better-sqlite3 Database this touches. */
interface SqliteConnection {
  prepare(sql: string): unknown;
}

const withCache = new WeakSet<object>();

/**
 * Keeps the statements knex prepares on the embedded SQLite database (better-sqlite3) for reuse.
 *
 * Why: knex prepares every query it sends afresh (knex 3.3 `lib/dialects/better-sqlite3/index.js`
 * `_query`), and better-sqlite3 then compiles the SQL and, for a statement that answers rows,
 * generates a row constructor with `Function` (better-sqlite3 13.2 `lib/database.js`
 * `rowFactory`). In the running backend that is 35 to 150 µs per query, more than running it:
 * about half a millisecond of a limit change's seven queries (docs/architecture.md, "What is
 * cached"). The SQL knex builds for the plugin's queries is the same text for every
 * call (values are bound parameters), so a statement compiled once serves them all.
 *
 * Safe to share because knex runs each statement to completion synchronously (`all` or `run`) on
 * the pool's one connection, never two iterations of one statement at once, and SQLite compiles a
 * statement again by itself when the schema changed under it (`sqlite3_prepare_v2`). The cache is
 * bounded (least recently used out), as queries with lists of values (`whereIn`) make SQL of many
 * lengths. PostgreSQL, the production database, parses on the server: nothing to keep here.
 */
export function cacheSqliteStatements(knex: Knex, size = 128): void {
  const client = knex.client as Knex.Client & {
    driverName?: string;
    pool?: {
      on(
        event: 'acquireSuccess',
        listener: (eventId: number, connection: SqliteConnection) => void,
      ): void;
    };
  };
  if (client.driverName !== 'better-sqlite3' || !client.pool) return;
  // Every acquire, as the connection may exist already (the migrations ran on it).
  client.pool.on('acquireSuccess', (_eventId, connection) => {
    if (withCache.has(connection)) return;
    withCache.add(connection);
    const prepare = connection.prepare.bind(connection);
    const statements = new Map<string, unknown>();
    connection.prepare = (sql: string) => {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = prepare(sql);
        if (statements.size >= size) {
          statements.delete(statements.keys().next().value!);
        }
      }
      statements.set(sql, statement);
      return statement;
    };
  });
}

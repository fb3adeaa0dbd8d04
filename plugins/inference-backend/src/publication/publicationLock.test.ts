import { TestDatabases } from '@backstage/backend-test-utils';
import { migrateHistoryStore } from '../history/HistoryStore';
import { createPublicationLock } from './publicationLock';

// SQLite always; PostgreSQL 15 when scripts/test.sh has started one (see HistoryStore.test.ts).
jest.setTimeout(60_000);

const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const databases = TestDatabases.create({
  ids: process.env[PG_ENV] ? ['SQLITE_3', 'POSTGRES_15'] : ['SQLITE_3'],
});

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const iris = { cluster: 'local', namespace: 'tenant-a', name: 'iris' };
const t5 = { cluster: 'local', namespace: 'tenant-b', name: 't5' };

describe.each(databases.eachSupportedId())(
  'publication lock on %p',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      await migrateHistoryStore(knex);
      return knex;
    }

    it('lets one holder at a time change a publication, across two replicas sharing the database', async () => {
      const knex = await setup();
      // Two lock instances = two backend replicas: their in-memory queues know nothing of each other.
      const replicas = [
        createPublicationLock(knex, { pollMs: 5 }),
        createPublicationLock(knex, { pollMs: 5 }),
      ];
      let counter = 0;
      let inside = 0;
      let maxInside = 0;
      await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          replicas[i % 2].withLock(iris, async () => {
            inside++;
            maxInside = Math.max(maxInside, inside);
            const read = counter;
            await sleep(5);
            counter = read + 1; // a lost update unless serialized
            inside--;
          }),
        ),
      );
      expect(counter).toBe(16);
      expect(maxInside).toBe(1);
      expect(await knex('inference_publication_locks')).toEqual([]);
    });

    it('lets two publications of two tenants hold one hostname one after the other, across replicas', async () => {
      const knex = await setup();
      const replicas = [
        createPublicationLock(knex, { pollMs: 5 }),
        createPublicationLock(knex, { pollMs: 5 }),
      ];
      const claims: string[] = [];
      let maxInside = 0;
      let inside = 0;
      await Promise.all(
        [iris, t5].map((model, i) =>
          replicas[i].withLock(model, () =>
            replicas[i].withHostnameLock(
              'local',
              'shared.example',
              async () => {
                inside++;
                maxInside = Math.max(maxInside, inside);
                // Check-then-claim: only safe when serialized.
                const free = claims.length === 0;
                await sleep(20);
                if (free) claims.push(model.name);
                inside--;
              },
            ),
          ),
        ),
      );
      expect(maxInside).toBe(1);
      expect(claims).toHaveLength(1);
      expect(await knex('inference_publication_locks')).toEqual([]);
    });

    it('does not serialize different publications', async () => {
      const knex = await setup();
      const lock = createPublicationLock(knex);
      let both = false;
      let inIris = false;
      await Promise.all([
        lock.withLock(iris, async () => {
          inIris = true;
          await sleep(1000);
          inIris = false;
        }),
        sleep(50).then(() =>
          lock.withLock(t5, async () => {
            both = inIris;
          }),
        ),
      ]);
      expect(both).toBe(true);
    });

    it('releases on errors, and the error reaches the caller', async () => {
      const knex = await setup();
      const lock = createPublicationLock(knex, { waitMs: 1000 });
      await expect(
        lock.withLock(iris, async () => {
          throw new Error('apply failed');
        }),
      ).rejects.toThrow('apply failed');
      expect(await knex('inference_publication_locks')).toEqual([]);
      await expect(lock.withLock(iris, async () => 'next')).resolves.toBe(
        'next',
      );
    });

    it('gives up with a 503 while another replica holds it, and takes over an expired lease', async () => {
      const knex = await setup();
      await knex('inference_publication_locks').insert({
        lock_key: 'local/tenant-a/iris',
        holder: 'other-replica',
        expires_at: Date.now() + 60_000,
      });
      const lock = createPublicationLock(knex, { waitMs: 300, pollMs: 10 });
      const ran = jest.fn();
      const started = Date.now();
      await expect(lock.withLock(iris, ran)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('try again'),
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(ran).not.toHaveBeenCalled();
      // The other replica's lock is untouched.
      expect(
        await knex('inference_publication_locks').select('holder'),
      ).toEqual([{ holder: 'other-replica' }]);

      // The other replica died: its lease runs out and the lock is taken over.
      await knex('inference_publication_locks').update({
        expires_at: Date.now() - 1,
      });
      await expect(lock.withLock(iris, async () => 'taken')).resolves.toBe(
        'taken',
      );
      expect(await knex('inference_publication_locks')).toEqual([]);
    });

    it('renews its lease while held, so a long change is not taken over', async () => {
      const knex = await setup();
      const slow = createPublicationLock(knex, { leaseMs: 400 });
      const other = createPublicationLock(knex, { waitMs: 1000, pollMs: 10 });
      let otherRanWhileHeld = false;
      let held = true;
      await Promise.all([
        slow.withLock(iris, async () => {
          await sleep(1600); // four leases long
          held = false;
        }),
        sleep(50).then(() =>
          other
            .withLock(iris, async () => {
              otherRanWhileHeld = held;
            })
            .catch(() => undefined),
        ),
      ]);
      expect(otherRanWhileHeld).toBe(false);
    });

    it('times out a waiter queued behind a holder in the same replica without blocking the next one', async () => {
      const knex = await setup();
      const lock = createPublicationLock(knex, { waitMs: 200 });
      const order: string[] = [];
      const first = lock.withLock(iris, async () => {
        await sleep(1000);
        order.push('first');
      });
      const second = lock.withLock(iris, async () => {
        order.push('second');
      });
      await expect(second).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
      });
      await first;
      await lock.withLock(iris, async () => {
        order.push('third');
      });
      expect(order).toEqual(['first', 'third']);
    });
  },
);

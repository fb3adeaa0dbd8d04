import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ServiceUnavailableError } from '@backstage/errors';
import type { ModelLocator } from '@inference-in-a-box/backstage-plugin-inference-common';

const TABLE = 'inference_publication_locks';

/**
 * Serializes every change to one publication, across all replicas of the backend.
 *
 * Why a lock and not resourceVersion preconditions: a change to a publication is a read of up to
 * eight objects, a plan, and writes to several of them (a key operation re-applies the Secret, a
 * publish several objects, an unpublish deletes them all). Preconditions protect one object per
 * write; a publish racing an unpublish or a key operation races on the *set* (an unpublish deleting
 * the Secret while a create re-creates it from a stale read has no resourceVersion to conflict
 * with), and server-side apply ignores resourceVersion unless it is put in the applied body, which
 * then also forbids creating the object. A lease row in the plugin's own database (shared by the
 * replicas, SQLite in development, PostgreSQL in production) serializes the whole read-plan-apply of
 * one publication, and nothing else: other publications go on in parallel.
 *
 * The same lease serializes the OpenAI-compatible publications of one hostname (at most one may
 * use it, see checkHostnameFree.ts): a publish holds its publication's lock and, inside it, the
 * lock of the hostname it checks and applies, so two tenants claiming one hostname at once cannot
 * both pass the check.
 *
 * Properties:
 * - no deadlock: an operation takes its publication's lock and at most one hostname lock inside it,
 *   always in that order, and no one waits for a publication lock while holding a hostname lock;
 * - released in `finally` on success, error or timeout; if the process dies, the lease expires
 *   (`leaseMs`, renewed every third of it while held), and a waiter takes it over;
 * - a waiter gives up after `waitMs` with a 503 that says to try again;
 * - within one replica, waiters queue in arrival order in memory, so only the head of the queue
 *   polls the database.
 *
 * The lease compares wall clocks of the replicas: skew between them must stay well below `leaseMs`.
 * Changes made outside the portal (kubectl) are not serialized; they never were.
 */
export interface PublicationLock {
  /** Runs `fn` while holding the lock of this model's publication. Never nest two calls. */
  withLock<T>(model: ModelLocator, fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` while holding the lock of a hostname of a cluster; only inside `withLock`. */
  withHostnameLock<T>(
    cluster: string,
    hostname: string,
    fn: () => Promise<T>,
  ): Promise<T>;
}

export interface PublicationLockOptions {
  /** How long a caller waits for the lock before a 503. Default 30 s. */
  waitMs?: number;
  /** How long a lock lives without renewal (a crashed holder). Default 30 s. */
  leaseMs?: number;
  /** First pause between attempts to take a lock held elsewhere; doubles up to 500 ms. */
  pollMs?: number;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** What a lock is held on: its key (a hostname's can never equal a publication's) and the 503. */
interface LockTarget {
  key: string;
  busy(waitMs: number): Error;
}

const seconds = (ms: number) => Math.round(ms / 1000);

const publicationTarget = (model: ModelLocator): LockTarget => ({
  key: `${model.cluster}/${model.namespace}/${model.name}`,
  busy: waitMs =>
    new ServiceUnavailableError(
      `Another change to the publication of '${
        model.name
      }' is still in progress after ${seconds(waitMs)} s; try again`,
    ),
});

const hostnameTarget = (cluster: string, hostname: string): LockTarget => ({
  key: `${cluster}#hostname/${hostname}`,
  busy: waitMs =>
    new ServiceUnavailableError(
      `Another publication on ${hostname} is still being applied after ${seconds(
        waitMs,
      )} s; try again`,
    ),
});

/** A PublicationLock from one way of holding a lock target while `fn` runs. */
function lockOn(
  hold: <T>(target: LockTarget, fn: () => Promise<T>) => Promise<T>,
): PublicationLock {
  return {
    withLock: (model, fn) => hold(publicationTarget(model), fn),
    withHostnameLock: (cluster, hostname, fn) =>
      hold(hostnameTarget(cluster, hostname), fn),
  };
}

/** An in-process FIFO per key: resolves with a release function, or rejects at the deadline. */
function createLocalQueue() {
  const tails = new Map<string, Promise<void>>();
  return async (key: string, deadline: number, onTimeout: () => Error) => {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>(resolve => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    const done = () => {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      previous.then(() => false),
      new Promise<boolean>(resolve => {
        timer = setTimeout(
          () => resolve(true),
          Math.max(0, deadline - Date.now()),
        );
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      // Our successor then waits only for our predecessor.
      done();
      throw onTimeout();
    }
    return done;
  };
}

export function createPublicationLock(
  knex: Knex,
  options: PublicationLockOptions = {},
): PublicationLock {
  const waitMs = options.waitMs ?? 30_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 25;
  const local = createLocalQueue();

  /**
   * One attempt: clear an expired lease (unless `optimistic`) and insert ours unless a row exists;
   * the insert returns our row only when it made it (`ON CONFLICT DO NOTHING ... RETURNING`, in
   * SQLite since 3.35 and PostgreSQL). The first attempt is optimistic: a lock nobody holds (the
   * usual case) has no row, expired or not, so it is taken in one query instead of two; only when
   * the row is someone else's do the next attempts clear an expired lease first.
   */
  async function tryTake(
    key: string,
    holder: string,
    optimistic = false,
  ): Promise<boolean> {
    const now = Date.now();
    if (!optimistic) {
      await knex(TABLE)
        .where({ lock_key: key })
        .andWhere('expires_at', '<', now)
        .delete();
    }
    const inserted: unknown[] = await knex(TABLE)
      .insert({ lock_key: key, holder, expires_at: now + leaseMs })
      .onConflict('lock_key')
      .ignore()
      .returning('holder');
    return inserted.length > 0;
  }

  return lockOn(async (target, fn) => {
    const { key } = target;
    const deadline = Date.now() + waitMs;
    const releaseLocal = await local(key, deadline, () => target.busy(waitMs));
    const holder = randomUUID();
    let renewal: NodeJS.Timeout | undefined;
    try {
      // Jittered exponential back-off; a last attempt at the deadline, then a 503.
      if (!(await tryTake(key, holder, true))) {
        for (
          let pause = pollMs;
          !(await tryTake(key, holder));
          pause = Math.min(pause * 2, 500)
        ) {
          const left = deadline - Date.now();
          if (left <= 0) throw target.busy(waitMs);
          await sleep(Math.min(left, pause + Math.random() * pause));
        }
      }
      renewal = setInterval(() => {
        knex(TABLE)
          .where({ lock_key: key, holder })
          .update({ expires_at: Date.now() + leaseMs })
          .catch(() => {
            // The next renewal tries again; the lease outlives a few failed ones.
          });
      }, Math.max(10, Math.floor(leaseMs / 3)));
      renewal.unref?.();
      return await fn();
    } finally {
      clearInterval(renewal);
      // Only our own row: if our lease expired and someone took it over, theirs stays.
      await knex(TABLE)
        .where({ lock_key: key, holder })
        .delete()
        .catch(() => {
          // The lease expires on its own.
        });
      releaseLocal();
    }
  });
}

/** An in-process lock only, for code that runs without a database (single replica). */
export function createLocalPublicationLock(
  options: Pick<PublicationLockOptions, 'waitMs'> = {},
): PublicationLock {
  const waitMs = options.waitMs ?? 30_000;
  const local = createLocalQueue();
  return lockOn(async (target, fn) => {
    const release = await local(target.key, Date.now() + waitMs, () =>
      target.busy(waitMs),
    );
    try {
      return await fn();
    } finally {
      release();
    }
  });
}

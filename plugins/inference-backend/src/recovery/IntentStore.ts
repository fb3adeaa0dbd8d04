import type { Knex } from 'knex';
import type {
  HistoryAction,
  ModelLocator,
  ModelType,
  PublishRequest,
} from '@inference-in-a-box/backstage-plugin-inference-common';

const TABLE = 'inference_publication_intents';
/** The publication locks' table (src/publication/publicationLock.ts), read to find dead holders. */
const LOCKS = 'inference_publication_locks';

/**
 * The change a replica is applying to one publication, kept from just before its first write to
 * the cluster until its outcome is recorded (migrations/20261206000000_publication_intents.js).
 */
export interface PublicationIntent {
  model: ModelLocator;
  /** The history action of the change, e.g. `publication.publish`, `apikey.create`. */
  action: HistoryAction;
  /** Who asked for it (a user entity ref or a service). */
  actor: string;
  summary?: string;
  /**
   * The publication being applied: the request as the objects record it (hostname and defaults
   * resolved) and the model type. Absent for an unpublish. Keys are not recorded: they live only in
   * the Secret, and a change of keys writes only the Secret, so it is never half applied.
   */
  target?: { request: PublishRequest; modelType: ModelType };
  startedAt: Date;
}

export interface PublicationIntentStore {
  /** Records the change about to be applied (replacing any left by a stopped replica). */
  begin(intent: PublicationIntent): Promise<void>;
  /** Forgets the change: its outcome is recorded (or it was superseded). */
  end(model: ModelLocator): Promise<void>;
  get(model: ModelLocator): Promise<PublicationIntent | undefined>;
  /**
   * Changes whose publication lock is no longer held (no lock row, or an expired lease): their
   * holder stopped before recording the outcome. Oldest first.
   */
  listInterrupted(now?: number): Promise<PublicationIntent[]>;
}

/** The publication lock's key of a model (publicationLock.ts `publicationTarget`). */
export const publicationKey = (m: ModelLocator) =>
  `${m.cluster}/${m.namespace}/${m.name}`;

interface IntentRow {
  publication_key: string;
  cluster: string;
  namespace: string;
  model: string;
  action: string;
  actor: string;
  summary: string | null;
  target: string | null;
  started_at: string | number;
}

function fromRow(row: IntentRow): PublicationIntent {
  return {
    model: { cluster: row.cluster, namespace: row.namespace, name: row.model },
    action: row.action as HistoryAction,
    actor: row.actor,
    ...(row.summary ? { summary: row.summary } : {}),
    ...(row.target ? { target: JSON.parse(row.target) } : {}),
    startedAt: new Date(Number(row.started_at)),
  };
}

/** The store over the plugin's database (migrations run by the history store's setup). */
export function createIntentStore(knex: Knex): PublicationIntentStore {
  return {
    async begin(intent) {
      const row: IntentRow = {
        publication_key: publicationKey(intent.model),
        cluster: intent.model.cluster,
        namespace: intent.model.namespace,
        model: intent.model.name,
        action: intent.action,
        actor: intent.actor,
        summary: intent.summary ?? null,
        target: intent.target ? JSON.stringify(intent.target) : null,
        started_at: intent.startedAt.getTime(),
      };
      await knex(TABLE).insert(row).onConflict('publication_key').merge();
    },

    async end(model) {
      await knex(TABLE)
        .where({ publication_key: publicationKey(model) })
        .delete();
    },

    async get(model) {
      const row = await knex<IntentRow>(TABLE)
        .where({ publication_key: publicationKey(model) })
        .first();
      return row ? fromRow(row) : undefined;
    },

    async listInterrupted(now = Date.now()) {
      const rows = await knex<IntentRow>(TABLE)
        .whereNotExists(
          knex(LOCKS)
            .select(knex.raw('1'))
            .whereRaw('??.?? = ??.??', [
              LOCKS,
              'lock_key',
              TABLE,
              'publication_key',
            ])
            .andWhere(`${LOCKS}.expires_at`, '>=', now),
        )
        .orderBy('started_at');
      return rows.map(fromRow);
    },
  };
}

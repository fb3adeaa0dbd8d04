import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type {
  HistoryAction,
  HistoryEntry,
  ModelLocator,
  PlannedChange,
} from '@inference-in-a-box/backstage-plugin-inference-common';

const TABLE = 'inference_history';

/** A history row as a mutation records it; the model's name is stored as `model`, as the API shows it. */
export interface NewHistoryEntry {
  cluster: string;
  namespace: string;
  model: string;
  action: HistoryAction;
  actor: string;
  tenant: string;
  outcome: 'succeeded' | 'failed';
  summary?: string;
  changes?: PlannedChange[];
  via?: string;
}

/** The plugin's own table of mutations: the history tab reads it, every mutation writes it. */
export interface HistoryStore {
  record(entry: NewHistoryEntry): Promise<HistoryEntry>;
  /** Newest first. */
  listForModel(
    model: ModelLocator,
    options?: { limit?: number },
  ): Promise<HistoryEntry[]>;
}

interface HistoryRow {
  id: string;
  action: string;
  actor: string;
  tenant: string;
  cluster: string;
  namespace: string;
  model: string;
  outcome: string;
  summary: string | null;
  changes: string | null;
  via?: string | null;
  created_at: string | Date;
}

function toEntry(row: HistoryRow): HistoryEntry {
  return {
    id: row.id,
    action: row.action as HistoryAction,
    actor: row.actor,
    tenant: row.tenant,
    cluster: row.cluster,
    namespace: row.namespace,
    model: row.model,
    outcome: row.outcome as HistoryEntry['outcome'],
    at: new Date(row.created_at).toISOString(),
    ...(row.summary ? { summary: row.summary } : {}),
    ...(row.changes
      ? { changes: JSON.parse(row.changes) as PlannedChange[] }
      : {}),
    ...(row.via ? { via: row.via } : {}),
  };
}

export async function migrateHistoryStore(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: resolvePackagePath(
      '@inference-in-a-box/backstage-plugin-inference-backend',
      'migrations',
    ),
    tableName: 'inference_knex_migrations',
  });
}

export function createHistoryStoreFromKnex(knex: Knex): HistoryStore {
  return {
    async record(entry) {
      const row: HistoryRow = {
        id: randomUUID(),
        action: entry.action,
        actor: entry.actor,
        tenant: entry.tenant,
        cluster: entry.cluster,
        namespace: entry.namespace,
        model: entry.model,
        outcome: entry.outcome,
        summary: entry.summary ?? null,
        changes: entry.changes ? JSON.stringify(entry.changes) : null,
        via: entry.via ?? null,
        created_at: new Date().toISOString(),
      };
      await knex<HistoryRow>(TABLE).insert({
        ...row,
        created_at: new Date(row.created_at),
      });
      return toEntry(row);
    },

    async listForModel(model, options) {
      const rows = await knex<HistoryRow>(TABLE)
        .where({
          cluster: model.cluster,
          namespace: model.namespace,
          model: model.name,
        })
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(Math.min(options?.limit ?? 100, 500));
      return rows.map(toEntry);
    },
  };
}

export async function createHistoryStore(
  database: DatabaseService,
): Promise<HistoryStore> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateHistoryStore(knex);
  }
  return createHistoryStoreFromKnex(knex);
}

import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  ModelLocator,
  ModelType,
  PublicationDrift,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { RecordedPublishRequest } from '@inference-in-a-box/backstage-plugin-inference-node';
import type { ApiKeyMaterial } from '../apiKeys/apiKeys';
import type { WrittenVersions } from '../publication/publicationCache';

const TABLE = 'inference_publication_records';

/** A key as recorded: its metadata and a digest of its value, never the value. */
export interface RecordedKey {
  id: string;
  name: string;
  createdAt: string;
  expiresAt?: string;
  sha256: string;
}

/** What a publication was published as (see migrations/20261204000000_publication_records.js). */
export interface PublicationRecord {
  model: ModelLocator;
  tenant: string;
  request: RecordedPublishRequest;
  modelType: ModelType;
  keys: RecordedKey[];
  publishedBy: string;
  publishedAt: Date;
  drift?: PublicationDrift;
  /**
   * The resourceVersion of each object the change left (null: deleted), by object key, for the
   * publication cache (../publication/publicationCache.ts); absent in records from before it.
   */
  writtenVersions?: WrittenVersions;
}

export type NewPublicationRecord = Omit<PublicationRecord, 'drift' | 'keys'> & {
  keys: ApiKeyMaterial[];
};

export interface PublicationRecordStore {
  /** Records what was just applied; the last drift result is cleared (it described the old set). */
  save(record: NewPublicationRecord): Promise<void>;
  get(model: ModelLocator): Promise<PublicationRecord | undefined>;
  /** Only the record's `writtenVersions` (what the publication cache is checked against). */
  getWrittenVersions(model: ModelLocator): Promise<WrittenVersions | undefined>;
  /** Every record, or those of one cluster. */
  list(cluster?: string): Promise<PublicationRecord[]>;
  remove(model: ModelLocator): Promise<void>;
  /** Stores a drift check's result, unless the record was replaced since `publishedAt` (a publish won). */
  saveDrift(
    model: ModelLocator,
    publishedAt: Date,
    drift: PublicationDrift,
  ): Promise<void>;
}

export function keyDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function recordedKeys(keys: ApiKeyMaterial[]): RecordedKey[] {
  return keys.map(k => ({
    id: k.id,
    name: k.name,
    createdAt: k.createdAt,
    ...(k.expiresAt ? { expiresAt: k.expiresAt } : {}),
    sha256: keyDigest(k.value),
  }));
}

const keyOf = (m: ModelLocator) => `${m.cluster}/${m.namespace}/${m.name}`;

interface RecordRow {
  publication_key: string;
  cluster: string;
  namespace: string;
  model: string;
  tenant: string;
  request: string;
  model_type: string;
  keys: string;
  published_by: string;
  published_at: string | number;
  drift: string | null;
  written_versions: string | null;
}

function fromRow(row: RecordRow): PublicationRecord {
  return {
    model: { cluster: row.cluster, namespace: row.namespace, name: row.model },
    tenant: row.tenant,
    request: JSON.parse(row.request),
    modelType: row.model_type as ModelType,
    keys: JSON.parse(row.keys),
    publishedBy: row.published_by,
    publishedAt: new Date(Number(row.published_at)),
    ...(row.drift ? { drift: JSON.parse(row.drift) } : {}),
    ...(row.written_versions
      ? { writtenVersions: JSON.parse(row.written_versions) }
      : {}),
  };
}

/** The store over the plugin's database (migrations run by the history store's setup). */
export function createPublicationRecordStore(
  knex: Knex,
): PublicationRecordStore {
  return {
    async save(record) {
      const row = {
        publication_key: keyOf(record.model),
        cluster: record.model.cluster,
        namespace: record.model.namespace,
        model: record.model.name,
        tenant: record.tenant,
        request: JSON.stringify(record.request),
        model_type: record.modelType,
        keys: JSON.stringify(recordedKeys(record.keys)),
        published_by: record.publishedBy,
        published_at: record.publishedAt.getTime(),
        drift: null,
        checked_at: null,
        written_versions: record.writtenVersions
          ? JSON.stringify(record.writtenVersions)
          : null,
      };
      await knex(TABLE).insert(row).onConflict('publication_key').merge();
    },

    async get(model) {
      const row = await knex<RecordRow>(TABLE)
        .where({ publication_key: keyOf(model) })
        .first();
      return row ? fromRow(row) : undefined;
    },

    async getWrittenVersions(model) {
      const row = await knex<RecordRow>(TABLE)
        .where({ publication_key: keyOf(model) })
        .first('written_versions');
      return row?.written_versions
        ? JSON.parse(row.written_versions)
        : undefined;
    },

    async list(cluster) {
      const query = knex<RecordRow>(TABLE).orderBy('publication_key');
      const rows = await (cluster ? query.where({ cluster }) : query);
      return rows.map(fromRow);
    },

    async remove(model) {
      await knex(TABLE)
        .where({ publication_key: keyOf(model) })
        .delete();
    },

    async saveDrift(model, publishedAt, drift) {
      await knex(TABLE)
        .where({
          publication_key: keyOf(model),
          published_at: publishedAt.getTime(),
        })
        .update({
          drift: JSON.stringify(drift),
          checked_at: new Date(drift.checkedAt).getTime(),
        });
    },
  };
}

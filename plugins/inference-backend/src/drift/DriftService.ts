import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  DriftedObject,
  DriftRunSummary,
  inferenceModelPublishPermission,
  inferenceModelReadPermission,
  ModelLocator,
  PublicationDrift,
  PublicationSummary,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterRegistry,
  KINDS,
  KubeObject,
  readPublishRequest,
  scrubError,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { ApiKeyMaterial } from '../apiKeys/apiKeys';
import type { HistoryStore } from '../history/HistoryStore';
import { recordMutation } from '../history/recordMutation';
import { candidateName, isCandidateOf } from '../rollouts/candidate';
import type { InferenceServiceObject } from '../models/types';
import type { ModelAccess } from '../permissions/ModelAccess';
import type { CallContext } from '../requestContext';
import {
  readCurrentPublication,
  summarizePublication,
} from '../publication/currentPublication';
import { createPublicationObjectLister } from '../publication/listPublications';
import {
  LoadedModel,
  PublicationEngine,
  requestOf,
} from '../publication/publicationEngine';
import type { TenantDirectory } from '../tenants/TenantDirectory';
import { findDrift } from './findDrift';
import { claimAddedSecretKeys, restoreObjects } from './restoreObjects';
import {
  keyDigest,
  PublicationRecord,
  PublicationRecordStore,
} from './PublicationRecordStore';

/** Tells a publication's owners (tenant group and platform admins); see notifications/. */
export type NotifyOwners = (
  tenant: Tenant,
  model: ModelLocator,
  event: { kind: 'drifted' | 'restored'; objects: DriftedObject[] },
) => Promise<void>;

export interface DriftSettings {
  /** Put weakened guards back at once (default true). */
  restoreGuards: boolean;
  /** How many publications one scheduled run checks at a time. */
  concurrency: number;
}

export interface DriftRun {
  checked: number;
  drifted: number;
  restored: number;
  failures: { model: ModelLocator; error: Error }[];
}

export interface DriftService {
  /** Checks one publication now (read permission); weakened guards are put back as on a scheduled run. */
  check(ctx: CallContext, model: ModelLocator): Promise<PublicationDrift>;
  /** Re-applies the published objects, taking every drifted field back (publish permission). */
  reconcile(ctx: CallContext, model: ModelLocator): Promise<PublicationSummary>;
  /** The scheduled check of every publication on every cluster; one failure does not stop the rest. */
  checkAll(credentials: BackstageCredentials): Promise<DriftRun>;
  /** {@link DriftService.checkAll} on demand, for a platform admin; failures scrubbed for the wire. */
  checkAllAsAdmin(ctx: CallContext): Promise<DriftRunSummary>;
  /** `cluster/namespace/model` of every publication whose last check found drift. */
  driftedModels(): Promise<Set<string>>;
  /** Summaries with their last drift check, `drifted` where it found changes. */
  withDrift(summaries: PublicationSummary[]): Promise<PublicationSummary[]>;
}

const keyOf = (m: ModelLocator) => `${m.cluster}/${m.namespace}/${m.name}`;

/** The recorded keys whose value in the live Secret is still the one the portal issued. */
function publishedKeys(
  record: PublicationRecord,
  live: ApiKeyMaterial[],
): ApiKeyMaterial[] {
  const values = new Map(live.map(k => [k.id, k.value]));
  return record.keys.flatMap(({ sha256, ...key }) => {
    const value = values.get(key.id);
    return value !== undefined && keyDigest(value) === sha256
      ? [{ ...key, value }]
      : [];
  });
}

/** What a drift looks like for comparing two checks: the objects and fields, not the time. */
function signature(objects: DriftedObject[] | undefined): string {
  return JSON.stringify(
    (objects ?? []).map(o => [o.kind, o.name, o.change, o.fields]),
  );
}

/** The audit event's account of drift: which objects, changed by which field managers. */
function auditOf(objects: DriftedObject[]): Record<string, string[]> {
  return {
    driftedObjects: objects.map(o => `${o.change} ${o.kind}/${o.name}`),
    fieldManagers: [
      ...new Set(
        objects.flatMap(o => [
          ...o.managers,
          ...o.fields.flatMap(f => (f.manager ? [f.manager] : [])),
        ]),
      ),
    ].sort(),
  };
}

function describe(objects: DriftedObject[]): string {
  return objects
    .map(o => {
      const by = o.managers.length > 0 ? ` by ${o.managers.join(', ')}` : '';
      return `${o.kind}/${o.name} ${o.change}${by}`;
    })
    .join('; ');
}

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

export function createDriftService(deps: {
  settings: DriftSettings;
  clusters: ClusterRegistry;
  tenants: TenantDirectory;
  access: ModelAccess;
  engine: PublicationEngine;
  records: PublicationRecordStore;
  history: HistoryStore;
  auditor: AuditorService;
  logger: LoggerService;
  notify?: NotifyOwners;
}): DriftService {
  const { settings, clusters, engine, records } = deps;
  const listObjects = createPublicationObjectLister(clusters);

  /**
   * The record of a publication, adopting what the cluster holds when there is none (published
   * before drift checks existed, or by another tool): from then on that is what is checked.
   */
  async function recordFor(
    loaded: LoadedModel,
    model: ModelLocator,
    existing: PublicationRecord | undefined,
  ): Promise<PublicationRecord | undefined> {
    if (existing) return existing;
    const request = readPublishRequest(loaded.current.objects);
    if (!request) return undefined;
    await records.save({
      model,
      tenant: loaded.tenant.name,
      request,
      modelType: request.modelType,
      keys: loaded.current.allKeys,
      publishedBy: 'adopted from the cluster',
      publishedAt: new Date(),
    });
    return records.get(model);
  }

  function desiredOf(loaded: LoadedModel, record: PublicationRecord) {
    return engine.desired(loaded, {
      request: requestOf(record.request),
      modelType: record.modelType,
      keys: publishedKeys(record, loaded.current.allKeys),
    });
  }

  /** One check of one loaded publication against its record; restores guards when told to. */
  async function inspect(
    ctx: CallContext,
    loaded: LoadedModel,
    model: ModelLocator,
    record: PublicationRecord,
  ): Promise<PublicationDrift> {
    const cluster = clusters.get(model.cluster);
    const found = await findDrift({
      cluster,
      live: loaded.current.objects,
      desired: desiredOf(loaded, record),
    });
    let drift: PublicationDrift = {
      checkedAt: new Date().toISOString(),
      objects: found,
    };
    if (settings.restoreGuards && found.some(o => o.weakensGuard)) {
      drift = await restoreGuards(ctx, model, loaded.tenant, record);
    }
    await report(ctx, loaded.tenant, model, record, drift);
    await records.saveDrift(model, record.publishedAt, drift);
    return drift;
  }

  /**
   * Under the publication's lock (a publish in flight must not be undone): read again, check
   * again, and put back the guard objects that are still weakened.
   */
  async function restoreGuards(
    ctx: CallContext,
    model: ModelLocator,
    tenant: Tenant,
    record: PublicationRecord,
  ): Promise<PublicationDrift> {
    return engine.withLock(model, async () => {
      const loaded = await engine.load(tenant, model);
      const current = (await records.get(model)) ?? record;
      const desired = desiredOf(loaded, current);
      const cluster = clusters.get(model.cluster);
      const found = await findDrift({
        cluster,
        live: loaded.current.objects,
        desired,
      });
      const guards = found.filter(o => o.weakensGuard);
      if (guards.length > 0) {
        await recordMutation(
          deps,
          ctx,
          { action: 'publication.restore', tenant: tenant.name, model },
          async () => {
            await restoreObjects(
              cluster,
              loaded.current.objects,
              desired,
              guards,
            );
            return {
              result: undefined,
              summary: `Guards restored: ${describe(guards)}`,
              audit: auditOf(guards),
            };
          },
        );
      }
      return {
        checkedAt: new Date().toISOString(),
        objects: found.filter(o => !o.weakensGuard),
        ...(guards.length > 0 ? { restored: guards } : {}),
      };
    });
  }

  /** A history row, an audit event and a notification when drift appears or changes, or guards come back. */
  async function report(
    ctx: CallContext,
    tenant: Tenant,
    model: ModelLocator,
    record: PublicationRecord,
    drift: PublicationDrift,
  ) {
    const isNew =
      drift.objects.length > 0 &&
      signature(drift.objects) !== signature(record.drift?.objects);
    if (isNew) {
      await recordMutation(
        deps,
        ctx,
        { action: 'publication.drift', tenant: tenant.name, model },
        async () => ({
          result: undefined,
          summary: `Changed outside the portal: ${describe(drift.objects)}`,
          audit: auditOf(drift.objects),
        }),
      );
      await notify(tenant, model, 'drifted', drift.objects);
    }
    if (drift.restored) await notify(tenant, model, 'restored', drift.restored);
  }

  async function notify(
    tenant: Tenant,
    model: ModelLocator,
    kind: 'drifted' | 'restored',
    objects: DriftedObject[],
  ) {
    // A notification that cannot be sent must not stop the check (or undo a restore).
    await deps
      .notify?.(tenant, model, { kind, objects })
      .catch(error =>
        deps.logger.warn(
          `Could not notify the owners of ${keyOf(
            model,
          )} about drift: ${error}`,
        ),
      );
  }

  async function loadRecorded(tenant: Tenant, model: ModelLocator) {
    const loaded = await engine.load(tenant, model);
    const record = await recordFor(loaded, model, await records.get(model));
    if (!record)
      throw new NotFoundError(`Model '${model.name}' is not published`);
    return { loaded, record };
  }

  return {
    async check(ctx, model) {
      const tenant = await deps.access.require(
        ctx.credentials,
        inferenceModelReadPermission,
        model,
      );
      const { loaded, record } = await loadRecorded(tenant, model);
      return inspect(ctx, loaded, model, record);
    },

    async reconcile(ctx, model) {
      const tenant = await deps.access.require(
        ctx.credentials,
        inferenceModelPublishPermission,
        model,
      );
      await engine.withLock(model, async () => {
        const { loaded, record } = await loadRecorded(tenant, model);
        const keys = publishedKeys(record, loaded.current.allKeys);
        const target = {
          request: requestOf(record.request),
          modelType: record.modelType,
          keys,
        };
        await claimAddedSecretKeys(
          clusters.get(model.cluster),
          loaded.current.objects,
          engine.desired(loaded, target),
        );
        // Read again: the claim above changed the Secret's resourceVersion and ownership.
        await engine.converge(ctx, await engine.load(tenant, model), target, {
          dryRun: false,
          action: 'publication.reconcile',
        });
      });
      const { loaded, record } = await loadRecorded(tenant, model);
      const drift = await inspect(ctx, loaded, model, record);
      return {
        ...summarizePublication(tenant, model.name, loaded.current)!,
        ...(drift.objects.length > 0 ? { state: 'drifted' as const } : {}),
        drift,
      };
    },

    async checkAll(credentials) {
      const ctx: CallContext = { credentials };
      const tenants = await deps.tenants.list();
      const [{ publications, also }, recorded] = await Promise.all([
        listObjects(tenants, [KINDS.inferenceService]),
        records.list(),
      ]);
      const isvcs = new Map(
        also.map(o => [`${o.metadata.namespace}/${o.metadata.name}`, o]),
      );
      const recordByKey = new Map(recorded.map(r => [keyOf(r.model), r]));
      const live = new Map(
        publications.map(p => [
          keyOf({
            cluster: p.tenant.cluster,
            namespace: p.tenant.namespace,
            name: p.model,
          }),
          p,
        ]),
      );
      // Recorded publications whose objects are all gone are checked too (everything missing).
      for (const record of recorded) {
        const tenant = tenants.find(
          t =>
            t.cluster === record.model.cluster &&
            t.namespace === record.model.namespace,
        );
        if (tenant && !live.has(keyOf(record.model)))
          live.set(keyOf(record.model), {
            tenant,
            model: record.model.name,
            objects: [],
          });
      }

      const run: DriftRun = {
        checked: 0,
        drifted: 0,
        restored: 0,
        failures: [],
      };
      await mapLimited([...live], settings.concurrency, async ([key, p]) => {
        const model = {
          cluster: p.tenant.cluster,
          namespace: p.tenant.namespace,
          name: p.model,
        };
        try {
          const isvc = isvcs.get(`${model.namespace}/${model.name}`) as
            | InferenceServiceObject
            | undefined;
          if (!isvc) {
            // The model is gone; its publication went with it (or is an orphan to unpublish by hand).
            if (p.objects.length === 0) await records.remove(model);
            return;
          }
          // A blue-green candidate's share is part of what the route should say (../rollouts).
          const candidate = isvcs.get(
            `${model.namespace}/${candidateName(model.name)}`,
          ) as InferenceServiceObject | undefined;
          const loaded: LoadedModel = {
            tenant: p.tenant,
            isvc,
            current: readCurrentPublication(p.objects as KubeObject[]),
            ...(isCandidateOf(candidate, model.name) ? { candidate } : {}),
          };
          const record = await recordFor(loaded, model, recordByKey.get(key));
          if (!record) return;
          const drift = await inspect(ctx, loaded, model, record);
          run.checked++;
          if (drift.objects.length > 0) run.drifted++;
          if (drift.restored) run.restored++;
        } catch (error) {
          run.failures.push({ model, error: error as Error });
        }
      });
      return run;
    },

    async checkAllAsAdmin(ctx) {
      await deps.access.requireAdmin(ctx.credentials);
      const run = await this.checkAll(ctx.credentials);
      return {
        ...run,
        failures: run.failures.map(({ model, error }) => ({
          ...model,
          message: scrubError(error).message,
        })),
      };
    },

    async driftedModels() {
      return new Set(
        (await records.list())
          .filter(r => (r.drift?.objects.length ?? 0) > 0)
          .map(r => keyOf(r.model)),
      );
    },

    async withDrift(summaries) {
      if (summaries.length === 0) return summaries;
      const locatorOf = (s: PublicationSummary) => ({
        cluster: s.cluster,
        namespace: s.namespace,
        name: s.model,
      });
      // One publication (its page) reads its own row, a list reads them all at once.
      const rows =
        summaries.length === 1
          ? [await records.get(locatorOf(summaries[0]))].filter(
              (r): r is PublicationRecord => r !== undefined,
            )
          : await records.list();
      const drifts = new Map(rows.map(r => [keyOf(r.model), r.drift]));
      return summaries.map(s => {
        const drift = drifts.get(keyOf(locatorOf(s)));
        if (!drift) return s;
        const drifted = drift.objects.length > 0 && s.state === 'published';
        return { ...s, drift, ...(drifted ? { state: 'drifted' } : {}) };
      });
    },
  };
}

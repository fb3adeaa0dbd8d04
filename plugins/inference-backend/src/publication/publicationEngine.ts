import type { AuditorService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { NotFoundError } from '@backstage/errors';
import {
  HistoryAction,
  LABEL_MODEL,
  ModelLocator,
  ModelType,
  PlannedChange,
  PublicationSummary,
  PublishRequest,
  Tenant,
  toLabelValue,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterClient,
  ClusterRegistry,
  KINDS,
  KindRef,
  KubeObject,
  listPublicationObjects,
  PUBLICATION_KINDS,
  readPublishRequest,
  RecordedPublishRequest,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { PublicationRecordStore } from '../drift/PublicationRecordStore';
import type {
  PublicationIntent,
  PublicationIntentStore,
} from '../recovery/IntentStore';
import { actorOf } from '../requestContext';
import type { ApiKeyMaterial } from '../apiKeys/apiKeys';
import type { InferenceConfig } from '../config';
import type { HistoryStore } from '../history/HistoryStore';
import { recordMutation } from '../history/recordMutation';
import { modelNotFound } from '../models/ModelService';
import type { InferenceServiceObject } from '../models/types';
import type { CallContext } from '../requestContext';
import { applyChangesNothing } from './applyChangesNothing';
import { applyPublication, objectKey } from './applyPublication';
import { buildPublicationObjects, validateCelRules } from './build';
import {
  CurrentPublication,
  readCurrentPublication,
  summarizePublication,
} from './currentPublication';
import { planChanges } from './planChanges';
import { createLocalPublicationLock, PublicationLock } from './publicationLock';
import { PublicationCache, WrittenVersions } from './publicationCache';
import {
  candidateName,
  candidateWeight,
  isCandidateOf,
} from '../rollouts/candidate';
import { deploymentModeOf } from '../rollouts/rolloutStatus';

/** A model with its publication as the cluster has them now. */
export interface LoadedModel {
  tenant: Tenant;
  isvc: InferenceServiceObject;
  current: CurrentPublication;
  /** A Standard-mode model's blue-green candidate, when a rollout runs (../rollouts/candidate.ts). */
  candidate?: InferenceServiceObject;
}

/** A loaded model that is published: its recorded publish request is known. */
export interface PublishedModel extends LoadedModel {
  current: CurrentPublication & { request: RecordedPublishRequest };
}

export interface ConvergeResult {
  dryRun: boolean;
  changes: PlannedChange[];
  publication?: PublicationSummary;
}

/**
 * How a publication changes, shared by publishing and key management: read the model and its
 * current publication, build the desired object set, plan it against the cluster, and apply and
 * record it.
 */
export interface PublicationEngine {
  /**
   * Runs a whole read-plan-apply of one publication (load, checks, converge / replaceKeys /
   * remove) while holding its lock, so concurrent changes (on this or another replica) apply one
   * after the other and none writes back a stale read. Every mutation must run inside it; never
   * nest it. See publicationLock.ts for why a lock rather than resourceVersion preconditions.
   */
  withLock<T>(model: ModelLocator, fn: () => Promise<T>): Promise<T>;
  /** The lock of one hostname of a cluster (see publicationLock.ts); only inside `withLock`. */
  withHostnameLock<T>(
    cluster: string,
    hostname: string,
    fn: () => Promise<T>,
  ): Promise<T>;
  /**
   * The model and its publication as the cluster has them now: all of it (and a blue-green
   * candidate), or only the objects of `kinds`, for reading (never to plan with). A load takes the
   * objects but the Secret from the publication cache when its watch has seen the publication's
   * last change (publicationCache.ts), and lists them otherwise.
   * @throws NotFoundError when the model does not exist
   */
  load(
    tenant: Tenant,
    model: ModelLocator,
    kinds?: readonly KindRef[],
  ): Promise<LoadedModel>;
  /** {@link PublicationEngine.load}, for a model that must be published. @throws NotFoundError when it is not */
  loadPublished(tenant: Tenant, model: ModelLocator): Promise<PublishedModel>;
  /** Plans and (unless dryRun) applies a publication with the given request and keys. */
  converge(
    ctx: CallContext,
    loaded: LoadedModel,
    target: {
      request: PublishRequest;
      modelType: ModelType;
      keys: ApiKeyMaterial[];
    },
    options: {
      dryRun: boolean;
      action: HistoryAction;
      summary?: string;
      /**
       * A check running alongside the plan (e.g. the hostname's, which lists routes while the plan
       * is made): awaited before anything is applied or a dry run answers, and its failure wins
       * over the plan's, as if it had run first.
       */
      precondition?: Promise<void>;
      /**
       * No history row or audit event of its own: the caller records the whole operation this
       * apply is part of (a rollout's, ../rollouts/). The intent for recovery is kept as always.
       */
      silent?: boolean;
    },
  ): Promise<ConvergeResult>;
  /** The whole object set of a publication with this request and these keys (nothing is sent). */
  desired(
    loaded: LoadedModel,
    target: {
      request: PublishRequest;
      modelType: ModelType;
      keys: ApiKeyMaterial[];
    },
  ): KubeObject[];
  /**
   * Re-applies a publication as it was published, with the keys it has, to what the model has now
   * (e.g. a blue-green candidate's weight): see {@link PublicationEngine.converge} for the options.
   */
  republish(
    ctx: CallContext,
    loaded: PublishedModel,
    options: {
      dryRun: boolean;
      action: HistoryAction;
      summary?: string;
      silent?: boolean;
    },
  ): Promise<ConvergeResult>;
  /** Re-applies an existing publication with another key set (only the Secret changes). */
  replaceKeys(
    ctx: CallContext,
    loaded: PublishedModel,
    keys: ApiKeyMaterial[],
    history: { action: HistoryAction; summary: string },
  ): Promise<void>;
  /** Deletes every object of a publication (dryRun: plans only). */
  remove(
    ctx: CallContext,
    loaded: LoadedModel,
    options: { dryRun: boolean },
  ): Promise<ConvergeResult>;
}

interface PublicationEngineDeps {
  config: InferenceConfig;
  clusters: ClusterRegistry;
  history: HistoryStore;
  auditor: AuditorService;
  events?: EventsService;
  /** Shared by the replicas (the plugin's database); in-process only when not given. */
  lock?: PublicationLock;
  /** What each publication was published as, for the drift check; not kept when not given. */
  records?: PublicationRecordStore;
  /** The change being applied, until recorded, so that another replica can finish it (../recovery). */
  intents?: PublicationIntentStore;
  /** The watched publication objects a change may plan with instead of listing them (with `records`). */
  cache?: PublicationCache;
}

/** The request a recorded publication enforces, as a publish request. */
export function requestOf(recorded: RecordedPublishRequest): PublishRequest {
  return {
    publicModelName: recorded.publicModelName,
    hostname: recorded.hostname,
    auth: recorded.auth,
    limits: recorded.limits,
  };
}

const locatorOf = (loaded: LoadedModel): ModelLocator => ({
  cluster: loaded.tenant.cluster,
  namespace: loaded.tenant.namespace,
  name: loaded.isvc.metadata.name,
});

/** The whole object set of a publication; the CRD CEL rules are checked before anything is sent. */
function desiredObjects(
  config: InferenceConfig,
  loaded: LoadedModel,
  request: PublishRequest,
  modelType: ModelType,
  keys: ApiKeyMaterial[],
): KubeObject[] {
  const objects = buildPublicationObjects({
    tenant: loaded.tenant.name,
    namespace: loaded.tenant.namespace,
    model: { name: loaded.isvc.metadata.name, isvc: loaded.isvc },
    request,
    modelType,
    candidate: candidateWeight(loaded.candidate)
      ? {
          isvc: loaded.candidate!,
          percent: candidateWeight(loaded.candidate),
        }
      : undefined,
    platform: {
      gatewayName: config.gateway.name,
      gatewayNamespace: config.gateway.namespace,
      defaultHostname: config.publishing.defaultHostname,
      openAiDomain: config.publishing.openAiDomain,
      allowedHostnames: config.publishing.allowedHostnames,
      gatewayPrincipals: [config.gateway.principal],
      jwt: config.publishing.jwt,
    },
    apiKeys: keys,
  });
  const violations = validateCelRules(objects);
  if (violations.length > 0) {
    // The builders produced something the cluster's CEL rules would reject: a bug, not bad input.
    throw new Error(
      `Generated publication breaks CRD rules: ${violations
        .map(v => v.message)
        .join('; ')}`,
    );
  }
  return objects;
}

/** What a publication change records: its action, and a summary of the changes it made. */
interface ChangeRecord {
  action: HistoryAction;
  summary: (changed: PlannedChange[]) => string;
  /** Recorded by the caller, as part of a larger operation. */
  silent?: boolean;
}

const countedSummary = (given?: string) => (changed: PlannedChange[]) =>
  given ??
  (changed.length === 0 ? 'no changes' : `${changed.length} object(s) changed`);

/**
 * Applies a plan and records it (with the changes it made) as one mutation of the model. Answers
 * the plan's changes, or, when the plan left one object for its apply to settle, the changes that
 * apply made.
 */
async function applyAndRecord(
  deps: PublicationEngineDeps,
  ctx: CallContext,
  loaded: LoadedModel,
  planned: {
    desired: KubeObject[];
    changes: PlannedChange[];
    settle?: (applied: Map<string, KubeObject>) => PlannedChange[];
  },
  record: ChangeRecord,
  /** Keeps the record in step with what was applied, inside the mutation so a failure is one too. */
  afterApply: (applied: Map<string, KubeObject>) => Promise<void>,
  /** The publication being applied (undefined: an unpublish), for ../recovery. */
  target: PublicationIntent['target'],
): Promise<PlannedChange[]> {
  const changedIn = (changes: PlannedChange[]) =>
    changes.filter(c => c.action !== 'unchanged');
  // Kept from before the first write until the outcome is recorded: if this replica stops in
  // between, another one applies the whole change again once this lock's lease ran out
  // (../recovery/completeInterrupted.ts). Replaces whatever a stopped replica left.
  await deps.intents?.begin({
    model: locatorOf(loaded),
    action: record.action,
    actor: actorOf(ctx.credentials),
    summary: record.summary(changedIn(planned.changes)),
    target,
    startedAt: new Date(),
  });
  const mutate = async () => {
    const applied = await applyPublication(
      deps.clusters.get(loaded.tenant.cluster),
      loaded.current.objects,
      planned.desired,
      planned.changes,
    );
    await afterApply(applied);
    const changes = planned.settle?.(applied) ?? planned.changes;
    const changed = changedIn(changes);
    return {
      result: changes,
      changes: changed,
      summary: record.summary(changed),
    };
  };
  return (
    (
      record.silent
        ? mutate().then(outcome => outcome.result)
        : recordMutation(
            deps,
            ctx,
            {
              action: record.action,
              tenant: loaded.tenant.name,
              model: locatorOf(loaded),
            },
            mutate,
          )
    )
      // A failure was rolled back and answered: nothing is left for another replica to finish.
      .finally(() =>
        deps.intents?.end(locatorOf(loaded)).catch(() => undefined),
      )
  );
}

/**
 * What a change left in the cluster, for the publication cache: the resourceVersion the cluster
 * answered for each object applied, the one read for each object left as it was, null for each
 * object deleted.
 */
function writtenVersions(
  before: KubeObject[],
  desired: KubeObject[],
  applied: Map<string, KubeObject>,
): WrittenVersions {
  const written: WrittenVersions = {};
  const live = new Map(before.map(o => [objectKey(o), o]));
  for (const object of before) written[objectKey(object)] = null;
  for (const object of desired) {
    const key = objectKey(object);
    const version = (applied.get(key) ?? live.get(key))?.metadata
      .resourceVersion;
    if (version) written[key] = version;
    else delete written[key];
  }
  return written;
}

const readInferenceService = (
  cluster: ClusterClient,
  model: ModelLocator,
  name: string,
) =>
  cluster.get<InferenceServiceObject>({
    ...KINDS.inferenceService,
    namespace: model.namespace,
    name,
  });

/**
 * A model's InferenceService and, for a Standard-mode model, its blue-green candidate
 * (../rollouts/candidate.ts), in one list rather than two reads: both carry the model label of
 * their own name (../models/buildInferenceService.ts). A model without that label (made outside
 * the portal) is then read by name.
 */
async function readModelAndCandidate(
  cluster: ClusterClient,
  model: ModelLocator,
): Promise<{
  isvc?: InferenceServiceObject;
  candidate?: InferenceServiceObject;
}> {
  const names = [model.name, candidateName(model.name)];
  const listed = await cluster.list<InferenceServiceObject>(
    KINDS.inferenceService.apiVersion,
    KINDS.inferenceService.kind,
    {
      namespace: model.namespace,
      labelSelector: `${LABEL_MODEL} in (${names.map(toLabelValue).join(',')})`,
    },
  );
  const [isvc, candidate] = names.map(name =>
    listed.find(i => i.metadata.name === name),
  );
  if (!isvc) {
    return { isvc: await readInferenceService(cluster, model, model.name) };
  }
  return {
    isvc,
    candidate:
      deploymentModeOf(isvc) === 'Standard' &&
      isCandidateOf(candidate, model.name)
        ? candidate
        : undefined,
  };
}

/** Kind order of PUBLICATION_KINDS, then name: the order listing them gives. */
const kindOrder = new Map(PUBLICATION_KINDS.map((k, i) => [k.kind, i]));
const byKindThenName = (a: KubeObject, b: KubeObject) =>
  kindOrder.get(a.kind)! - kindOrder.get(b.kind)! ||
  a.metadata.name.localeCompare(b.metadata.name);

export function createPublicationEngine(
  deps: PublicationEngineDeps,
): PublicationEngine {
  const { config, clusters } = deps;
  const lock = deps.lock ?? createLocalPublicationLock();

  /**
   * The desired objects of a publication and the plan that applies them to what the cluster holds.
   * With `applyNext`, an object the plan could not prove unchanged but whose apply is the whole
   * change (see below) is left for the apply itself to settle: `changes` is then computed from
   * what the apply returns (`settle`).
   */
  async function plan(
    loaded: LoadedModel,
    { request, modelType, keys }: Parameters<PublicationEngine['desired']>[1],
    options: { applyNext: boolean },
  ): Promise<{
    desired: KubeObject[];
    changes: PlannedChange[];
    /** The apply's result for the object the plan left open, to plan with instead. */
    settle?: (applied: Map<string, KubeObject>) => PlannedChange[];
  }> {
    const { tenant, current } = loaded;
    const desired = desiredObjects(config, loaded, request, modelType, keys);
    const cluster = clusters.get(tenant.cluster);
    // Compare with what the cluster would store (defaults filled in), as `kubectl diff` does, so
    // server defaults never show up as changes and an identical publish writes nothing.
    // Objects that do not exist yet are created whatever the server would default, so only
    // existing ones can need the round trip (a first publish plans without any), and of those
    // only the ones a local check cannot prove unchanged (applyChangesNothing.ts): a re-publish
    // or a limit change asks the server about the objects that change, not about all seven.
    const live = new Map(current.objects.map(o => [objectKey(o), o]));
    const open = desired.filter(o => {
      const existing = live.get(objectKey(o));
      return (
        existing && !applyChangesNothing(existing, o, cluster.fieldManager)
      );
    });
    const sameSet =
      desired.length === current.objects.length &&
      desired.every(o => live.has(objectKey(o)));
    // One existing object is all that may change (a limit change, a key change): its apply
    // validates it as the dry run would and writes nothing when it fails, so the dry run's round
    // trip would only repeat it. The plan is then read from what the apply stored.
    if (options.applyNext && sameSet && open.length === 1) {
      const planWith = (projected: (o: KubeObject) => KubeObject) =>
        planChanges(current.objects, desired.map(projected));
      const [pending] = open;
      const unchanged = (o: KubeObject) => live.get(objectKey(o))!;
      return {
        desired,
        // Until settled: every object as the cluster holds it (a plan without any diff to compute)
        // but the open one as an update, so that applyPublication sends it.
        changes: planWith(unchanged).map(c =>
          c.name === pending.metadata.name && c.kind === pending.kind
            ? { ...c, action: 'update' as const }
            : c,
        ),
        settle: applied =>
          planWith(o =>
            o === pending ? applied.get(objectKey(o)) ?? o : unchanged(o),
          ),
      };
    }
    const projected = await Promise.all(
      desired.map(o => {
        const existing = live.get(objectKey(o));
        if (!existing) return o;
        if (applyChangesNothing(existing, o, cluster.fieldManager))
          return existing;
        return cluster.apply(o, { dryRun: true, force: true });
      }),
    );
    const changes = planChanges(current.objects, projected);
    return { desired, changes };
  }

  /** What a publication was published as (not what the cluster holds), with these keys. */
  async function recordedTarget(
    loaded: PublishedModel,
    keys: ApiKeyMaterial[],
  ) {
    // What was published, not what the cluster holds now: a limit raised by hand must not
    // become the published one because a key was created meanwhile.
    const recorded =
      (await deps.records?.get(locatorOf(loaded)))?.request ??
      loaded.current.request;
    return {
      request: requestOf(recorded),
      modelType: recorded.modelType,
      keys,
    };
  }

  /**
   * A publication's objects of `kinds`: those but the Secret from the watch when it has certainly
   * seen the last change (publicationCache.ts), the Secret read afresh; otherwise all listed.
   */
  async function publicationObjects(
    tenant: Tenant,
    model: ModelLocator,
    kinds: readonly KindRef[],
  ): Promise<KubeObject[]> {
    const cluster = clusters.get(model.cluster);
    const owner = { tenant: tenant.name, model: model.name };
    const list = (of: readonly KindRef[]) =>
      listPublicationObjects(cluster, model.namespace, owner, of);
    const { cache, records } = deps;
    if (!cache || !records) return list(kinds);
    const isSecret = (k: KindRef) =>
      k.apiVersion === KINDS.secret.apiVersion && k.kind === KINDS.secret.kind;
    const others = kinds.filter(k => !isSecret(k));
    const secrets = kinds.some(isSecret)
      ? list([KINDS.secret])
      : Promise.resolve([]);
    if (others.length === 0) return secrets;
    secrets.catch(() => undefined); // awaited below, after the record
    const written = await records.getWrittenVersions(model);
    const cached = cache.view(tenant.name, model, written);
    if (!cached) {
      const [secret, rest] = await Promise.all([secrets, list(others)]);
      return [...secret, ...rest].sort(byKindThenName);
    }
    const wanted = new Set(others.map(k => `${k.apiVersion}/${k.kind}`));
    // The cache's own objects, frozen: nothing that plans or reads with them changes them.
    return [
      ...(await secrets),
      ...cached.filter(o => wanted.has(`${o.apiVersion}/${o.kind}`)),
    ].sort(byKindThenName);
  }

  const engine: PublicationEngine = {
    withLock(model, fn) {
      return lock.withLock(model, fn);
    },

    withHostnameLock(cluster, hostname, fn) {
      return lock.withHostnameLock(cluster, hostname, fn);
    },

    async load(tenant, model, kinds) {
      const cluster = clusters.get(model.cluster);
      // Only for the whole publication: a read of some kinds (a test call's, usage's) is never
      // planned with, so it needs no candidate.
      const whole = kinds === undefined;
      const models = whole
        ? readModelAndCandidate(cluster, model)
        : readInferenceService(cluster, model, model.name).then(isvc => ({
            isvc,
            candidate: undefined,
          }));
      const [{ isvc, candidate }, objects] = await Promise.all([
        models,
        publicationObjects(tenant, model, kinds ?? PUBLICATION_KINDS),
      ]);
      if (!isvc) throw modelNotFound(model);
      return {
        tenant,
        isvc,
        current: readCurrentPublication(objects),
        ...(candidate ? { candidate } : {}),
      };
    },

    async loadPublished(tenant, model) {
      const loaded = await engine.load(tenant, model);
      if (!loaded.current.request) {
        throw new NotFoundError(`Model '${model.name}' is not published`);
      }
      return loaded as PublishedModel;
    },

    desired(loaded, { request, modelType, keys }) {
      return desiredObjects(config, loaded, request, modelType, keys);
    },

    async converge(ctx, loaded, target, options) {
      const { precondition } = options;
      // Handled here at once: it may fail while the plan is still running (awaited below).
      precondition?.catch(() => undefined);
      let planned: Awaited<ReturnType<typeof plan>>;
      try {
        planned = await plan(loaded, target, { applyNext: !options.dryRun });
      } catch (error) {
        await precondition;
        throw error;
      }
      await precondition;
      const { tenant, isvc } = loaded;
      const { modelType, keys } = target;
      if (options.dryRun) {
        return { dryRun: true, changes: planned.changes };
      }
      const applied = readPublishRequest(planned.desired)!;
      const changes = await applyAndRecord(
        deps,
        ctx,
        loaded,
        planned,
        {
          action: options.action,
          summary: countedSummary(options.summary),
          silent: options.silent,
        },
        async stored =>
          deps.records?.save({
            model: locatorOf(loaded),
            tenant: tenant.name,
            request: applied,
            modelType,
            keys,
            publishedBy: actorOf(ctx.credentials),
            publishedAt: new Date(),
            writtenVersions: writtenVersions(
              loaded.current.objects,
              planned.desired,
              stored,
            ),
          }),
        { request: requestOf(applied), modelType },
      );
      return {
        dryRun: false,
        changes,
        // What was just applied is what the cluster now holds.
        publication: summarizePublication(
          tenant,
          isvc.metadata.name,
          readCurrentPublication(planned.desired),
        ),
      };
    },

    async republish(ctx, loaded, options) {
      const target = await recordedTarget(loaded, loaded.current.keys);
      return engine.converge(ctx, loaded, target, options);
    },

    async replaceKeys(ctx, loaded, keys, history) {
      const target = await recordedTarget(loaded, keys);
      await engine.converge(ctx, loaded, target, {
        dryRun: false,
        ...history,
      });
    },

    async remove(ctx, loaded, options) {
      if (loaded.current.objects.length === 0) {
        throw new NotFoundError(
          `Model '${loaded.isvc.metadata.name}' is not published`,
        );
      }
      const changes = planChanges(loaded.current.objects, []);
      if (options.dryRun) return { dryRun: true, changes };
      await applyAndRecord(
        deps,
        ctx,
        loaded,
        { desired: [], changes },
        {
          action: 'publication.unpublish',
          summary: deleted => `${deleted.length} object(s) deleted`,
        },
        async () => deps.records?.remove(locatorOf(loaded)),
        undefined,
      );
      return { dryRun: false, changes };
    },
  };
  return engine;
}

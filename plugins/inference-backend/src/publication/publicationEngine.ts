import type { AuditorService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { NotFoundError } from '@backstage/errors';
import {
  HistoryAction,
  ModelLocator,
  ModelType,
  PlannedChange,
  PublicationSummary,
  PublishRequest,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
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
import { applyPublication } from './applyPublication';
import { buildPublicationObjects, validateCelRules } from './build';
import {
  CurrentPublication,
  readCurrentPublication,
  summarizePublication,
} from './currentPublication';
import { planChanges } from './planChanges';
import { createLocalPublicationLock, PublicationLock } from './publicationLock';

/** A model with its publication as the cluster has them now. */
export interface LoadedModel {
  tenant: Tenant;
  isvc: InferenceServiceObject;
  current: CurrentPublication;
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
  /** @throws NotFoundError when the model does not exist */
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

/** Applies a plan and records it (with the changes it made) as one mutation of the model. */
async function applyAndRecord(
  deps: PublicationEngineDeps,
  ctx: CallContext,
  loaded: LoadedModel,
  desired: KubeObject[],
  plan: PlannedChange[],
  history: {
    action: HistoryAction;
    summary: string;
    changes: PlannedChange[];
  },
  /** Keeps the record in step with what was applied, inside the mutation so a failure is one too. */
  afterApply: () => Promise<void>,
  /** The publication being applied (undefined: an unpublish), for ../recovery. */
  target: PublicationIntent['target'],
) {
  // Kept from before the first write until the outcome is recorded: if this replica stops in
  // between, another one applies the whole change again once this lock's lease ran out
  // (../recovery/completeInterrupted.ts). Replaces whatever a stopped replica left.
  await deps.intents?.begin({
    model: locatorOf(loaded),
    action: history.action,
    actor: actorOf(ctx.credentials),
    summary: history.summary,
    target,
    startedAt: new Date(),
  });
  await recordMutation(
    deps,
    ctx,
    {
      action: history.action,
      tenant: loaded.tenant.name,
      model: locatorOf(loaded),
    },
    async () => {
      await applyPublication(
        deps.clusters.get(loaded.tenant.cluster),
        loaded.current.objects,
        desired,
        plan,
      );
      await afterApply();
      return {
        result: undefined,
        changes: history.changes,
        summary: history.summary,
      };
    },
    // A failure was rolled back and answered: nothing is left for another replica to finish.
  ).finally(() => deps.intents?.end(locatorOf(loaded)).catch(() => undefined));
}

export function createPublicationEngine(
  deps: PublicationEngineDeps,
): PublicationEngine {
  const { config, clusters } = deps;
  const lock = deps.lock ?? createLocalPublicationLock();

  /** The desired objects of a publication and the plan that applies them to what the cluster holds. */
  async function plan(
    loaded: LoadedModel,
    { request, modelType, keys }: Parameters<PublicationEngine['desired']>[1],
  ): Promise<{ desired: KubeObject[]; changes: PlannedChange[] }> {
    const { tenant, current } = loaded;
    const desired = desiredObjects(config, loaded, request, modelType, keys);
    const cluster = clusters.get(tenant.cluster);
    // Compare with what the cluster would store (defaults filled in), as `kubectl diff` does, so
    // server defaults never show up as changes and an identical publish writes nothing.
    // Objects that do not exist yet are created whatever the server would default, so only
    // existing ones can need the round trip (a first publish plans without any), and of those
    // only the ones a local check cannot prove unchanged (applyChangesNothing.ts): a re-publish
    // or a limit change asks the server about the objects that change, not about all seven.
    const live = new Map(
      current.objects.map(o => [`${o.kind}/${o.metadata.name}`, o]),
    );
    const projected = await Promise.all(
      desired.map(o => {
        const existing = live.get(`${o.kind}/${o.metadata.name}`);
        if (!existing) return o;
        if (applyChangesNothing(existing, o, cluster.fieldManager))
          return existing;
        return cluster.apply(o, { dryRun: true, force: true });
      }),
    );
    const changes = planChanges(current.objects, projected);
    return { desired, changes };
  }

  const engine: PublicationEngine = {
    withLock(model, fn) {
      return lock.withLock(model, fn);
    },

    withHostnameLock(cluster, hostname, fn) {
      return lock.withHostnameLock(cluster, hostname, fn);
    },

    async load(tenant, model, kinds = PUBLICATION_KINDS) {
      const cluster = clusters.get(model.cluster);
      const [isvc, objects] = await Promise.all([
        cluster.get<InferenceServiceObject>({
          ...KINDS.inferenceService,
          namespace: model.namespace,
          name: model.name,
        }),
        listPublicationObjects(
          cluster,
          model.namespace,
          { tenant: tenant.name, model: model.name },
          kinds,
        ),
      ]);
      if (!isvc) throw modelNotFound(model);
      return { tenant, isvc, current: readCurrentPublication(objects) };
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
        planned = await plan(loaded, target);
      } catch (error) {
        await precondition;
        throw error;
      }
      await precondition;
      const { desired, changes } = planned;
      const { tenant, isvc } = loaded;
      const { modelType, keys } = target;
      if (options.dryRun) {
        return { dryRun: true, changes };
      }
      const changed = changes.filter(c => c.action !== 'unchanged');
      const applied = readPublishRequest(desired)!;
      await applyAndRecord(
        deps,
        ctx,
        loaded,
        desired,
        changes,
        {
          action: options.action,
          changes: changed,
          summary:
            options.summary ??
            (changed.length === 0
              ? 'no changes'
              : `${changed.length} object(s) changed`),
        },
        async () =>
          deps.records?.save({
            model: locatorOf(loaded),
            tenant: tenant.name,
            request: applied,
            modelType,
            keys,
            publishedBy: actorOf(ctx.credentials),
            publishedAt: new Date(),
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
          readCurrentPublication(desired),
        ),
      };
    },

    async replaceKeys(ctx, loaded, keys, history) {
      // What was published, not what the cluster holds now: a limit raised by hand must not
      // become the published one because a key was created meanwhile.
      const recorded =
        (await deps.records?.get(locatorOf(loaded)))?.request ??
        loaded.current.request;
      await engine.converge(
        ctx,
        loaded,
        { request: requestOf(recorded), modelType: recorded.modelType, keys },
        { dryRun: false, ...history },
      );
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
        [],
        changes,
        {
          action: 'publication.unpublish',
          changes,
          summary: `${changes.length} object(s) deleted`,
        },
        async () => deps.records?.remove(locatorOf(loaded)),
        undefined,
      );
      return { dryRun: false, changes };
    },
  };
  return engine;
}

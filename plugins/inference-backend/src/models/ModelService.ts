import type { AuditorService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  inferenceModelCreatePermission,
  inferenceModelDeletePermission,
  inferenceModelReadPermission,
  inferenceModelUpdatePermission,
  LABEL_CANDIDATE_OF,
  LABEL_MODEL,
  ModelDetails,
  ModelLocator,
  ModelSpec,
  ModelSummary,
  ModelWriteResult,
  ownershipSelector,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterRegistry,
  KINDS,
  KubeObject,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { HistoryStore } from '../history/HistoryStore';
import { recordMutation } from '../history/recordMutation';
import type { ModelAccess } from '../permissions/ModelAccess';
import { detectModelType } from '../publication/build';
import { planChanges } from '../publication/planChanges';
import type { CallContext } from '../requestContext';
import { rawAutoRollback, withAutoRollback } from '../rollouts/autoRollback';
import { buildInferenceService } from './buildInferenceService';
import { summarizeInferenceService } from './summarizeInferenceService';
import type { InferenceServiceObject } from './types';

/** Models (KServe InferenceServices) in tenant namespaces, with every call checked against permissions. */
export interface ModelService {
  /** Every model the caller may read, across tenants and clusters. Never null. */
  list(ctx: CallContext): Promise<ModelSummary[]>;
  get(ctx: CallContext, model: ModelLocator): Promise<ModelDetails>;
  create(
    ctx: CallContext,
    target: { cluster: string; namespace: string },
    spec: ModelSpec,
    options: { dryRun: boolean },
  ): Promise<ModelWriteResult>;
  update(
    ctx: CallContext,
    model: ModelLocator,
    spec: ModelSpec,
    options: { dryRun: boolean },
  ): Promise<ModelWriteResult>;
  delete(ctx: CallContext, model: ModelLocator): Promise<void>;
}

/** Every publication has exactly one SecurityPolicy; its model label says which model is published. */
const PUBLICATION_MARKER = KINDS.securityPolicy;

function isvcRef(model: ModelLocator) {
  return {
    ...KINDS.inferenceService,
    namespace: model.namespace,
    name: model.name,
  };
}

/**
 * A blue-green candidate (../rollouts/candidate.ts) is part of its model's rollout: changed or
 * removed only through the rollout, never as a model of its own (a deleted candidate would leave
 * the route's share pointing at nothing).
 */
function refuseCandidate(isvc: InferenceServiceObject | undefined) {
  const model = isvc?.metadata.labels?.[LABEL_CANDIDATE_OF];
  if (model) {
    throw new ConflictError(
      `'${
        isvc!.metadata.name
      }' is the new version of '${model}' being rolled out; promote it or roll it back on '${model}' instead`,
    );
  }
}

export function modelNotFound(model: ModelLocator): NotFoundError {
  return new NotFoundError(
    `Model '${model.name}' does not exist in namespace '${model.namespace}'`,
  );
}

function frameworkOf(isvc: InferenceServiceObject): string {
  return (
    isvc.spec.predictor.model?.modelFormat?.name ??
    (isvc.spec.predictor.containers ? 'custom-openai' : 'unknown')
  );
}

interface ModelServiceDeps {
  clusters: ClusterRegistry;
  access: ModelAccess;
  history: HistoryStore;
  auditor: AuditorService;
  events?: EventsService;
  /** `cluster/namespace/model` of the publications the last drift check found drifted. */
  driftedModels?: () => Promise<Set<string>>;
}

function summarize(
  tenant: Tenant,
  isvc: InferenceServiceObject,
  published: boolean,
): ModelSummary {
  return {
    name: isvc.metadata.name,
    namespace: tenant.namespace,
    tenant: tenant.name,
    cluster: tenant.cluster,
    framework: frameworkOf(isvc),
    modelType: detectModelType(isvc),
    status: summarizeInferenceService(isvc),
    published,
  };
}

/**
 * Names of the tenant's published models (or whether one model is): every publication has one
 * marker object.
 */
async function publishedModels(
  clusters: ClusterRegistry,
  tenant: Tenant,
  model?: string,
): Promise<Set<string>> {
  const markers = await clusters
    .get(tenant.cluster)
    .list(PUBLICATION_MARKER.apiVersion, PUBLICATION_MARKER.kind, {
      namespace: tenant.namespace,
      labelSelector: ownershipSelector(model === undefined ? {} : { model }),
    });
  return new Set(
    markers
      .map(m => m.metadata.labels?.[LABEL_MODEL])
      .filter((m): m is string => Boolean(m)),
  );
}

/** Creates or updates the InferenceService (dryRun: plans only) and records the mutation. */
/** The spec splits traffic between the latest revision and the previous one. */
const keepsCanary = (spec: ModelSpec) =>
  spec.canaryTrafficPercent !== undefined &&
  spec.canaryTrafficPercent > 0 &&
  spec.canaryTrafficPercent < 100;

async function writeModel(
  deps: ModelServiceDeps,
  ctx: CallContext,
  tenant: Tenant,
  spec: ModelSpec,
  existing: InferenceServiceObject | undefined,
  options: { dryRun: boolean },
): Promise<ModelWriteResult> {
  const cluster = deps.clusters.get(tenant.cluster);
  const built = buildInferenceService(tenant.namespace, spec, {
    tenant: tenant.name,
  });
  // An edit that keeps a Knative canary running keeps its automatic roll back: server-side apply
  // would drop the annotation the portal no longer sets. An edit that ends the canary ends it too,
  // as a promotion or a roll back does (../rollouts/autoRollback.ts).
  const kept = keepsCanary(spec) ? rawAutoRollback(existing) : undefined;
  const manifest = kept === undefined ? built : withAutoRollback(built, kept);
  // The plan compares with what the cluster would store (defaults filled in), like `kubectl diff`;
  // the dry run also has the cluster validate the object.
  const projected = await cluster.apply(manifest, { dryRun: true });
  const changes = planChanges(existing ? [existing as KubeObject] : [], [
    projected as KubeObject,
  ]);
  if (options.dryRun) {
    return { dryRun: true, manifest, changes };
  }
  return recordMutation(
    deps,
    ctx,
    {
      action: existing ? 'model.update' : 'model.create',
      tenant: tenant.name,
      model: {
        cluster: tenant.cluster,
        namespace: tenant.namespace,
        name: spec.name,
      },
    },
    async () => {
      const stored = await cluster.apply(manifest);
      return {
        result: {
          dryRun: false,
          manifest,
          changes,
          model: summarize(tenant, stored, false),
        },
        summary: existing
          ? 'InferenceService updated'
          : 'InferenceService created',
        changes,
      };
    },
  );
}

export function createModelService(deps: ModelServiceDeps): ModelService {
  const { clusters, access } = deps;
  const read = (model: ModelLocator) =>
    clusters.get(model.cluster).get<InferenceServiceObject>(isvcRef(model));

  return {
    async list(ctx) {
      const readable = await access.tenantsAllowed(
        ctx.credentials,
        inferenceModelReadPermission,
      );
      const drifted = (await deps.driftedModels?.()) ?? new Set<string>();
      const perTenant = await Promise.all(
        readable.map(async tenant => {
          const [isvcs, published] = await Promise.all([
            clusters
              .get(tenant.cluster)
              .list<InferenceServiceObject>(
                KINDS.inferenceService.apiVersion,
                KINDS.inferenceService.kind,
                { namespace: tenant.namespace },
              ),
            publishedModels(clusters, tenant),
          ]);
          // A blue-green candidate is part of its model's rollout, not a model of its own.
          const models = isvcs.filter(
            isvc => !isvc.metadata.labels?.[LABEL_CANDIDATE_OF],
          );
          return models.map(isvc => {
            const summary = summarize(
              tenant,
              isvc,
              published.has(isvc.metadata.name),
            );
            if (!summary.published) return summary;
            const key = `${tenant.cluster}/${tenant.namespace}/${summary.name}`;
            return {
              ...summary,
              publicationState: drifted.has(key)
                ? ('drifted' as const)
                : ('published' as const),
            };
          });
        }),
      );
      return perTenant
        .flat()
        .sort(
          (a, b) =>
            a.namespace.localeCompare(b.namespace) ||
            a.name.localeCompare(b.name),
        );
    },

    async get(ctx, model) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelReadPermission,
        model,
      );
      // Both reads at once, after the check: the marker list only names this model's publication.
      const [isvc, published] = await Promise.all([
        read(model),
        publishedModels(clusters, tenant, model.name),
      ]);
      if (!isvc) throw modelNotFound(model);
      return {
        ...summarize(tenant, isvc, published.has(model.name)),
        manifest: isvc,
      };
    },

    async create(ctx, target, spec, options) {
      const model = { ...target, name: spec.name };
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelCreatePermission,
        model,
      );
      if (await read(model)) {
        throw new ConflictError(
          `Model '${spec.name}' already exists in namespace '${target.namespace}'`,
        );
      }
      return writeModel(deps, ctx, tenant, spec, undefined, options);
    },

    async update(ctx, model, spec, options) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelUpdatePermission,
        model,
      );
      if (spec.name !== model.name) {
        throw new ConflictError(
          `The model's name cannot change (${model.name} -> ${spec.name})`,
        );
      }
      const existing = await read(model);
      if (!existing) throw modelNotFound(model);
      refuseCandidate(existing);
      return writeModel(deps, ctx, tenant, spec, existing, options);
    },

    async delete(ctx, model) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelDeletePermission,
        model,
      );
      const [published, isvc] = await Promise.all([
        publishedModels(clusters, tenant, model.name),
        read(model),
      ]);
      if (published.has(model.name)) {
        throw new ConflictError(
          `Model '${model.name}' is published; unpublish it before deleting it`,
        );
      }
      refuseCandidate(isvc);
      await recordMutation(
        deps,
        ctx,
        { action: 'model.delete', tenant: tenant.name, model },
        async () => {
          const deleted = await clusters
            .get(model.cluster)
            .delete(isvcRef(model));
          if (!deleted) throw modelNotFound(model);
          return { result: undefined, summary: 'InferenceService deleted' };
        },
      );
    },
  };
}

import { ConflictError } from '@backstage/errors';
import {
  inferenceModelPublishPermission,
  inferenceModelReadPermission,
  ModelLocator,
  PublicationSummary,
  PublishRequest,
  PublishResult,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { ClusterRegistry } from '@inference-in-a-box/backstage-plugin-inference-node';
import type { InferenceConfig } from '../config';
import { RequestValidationError } from '../errors';
import type { ModelAccess } from '../permissions/ModelAccess';
import type { CallContext } from '../requestContext';
import type { TenantDirectory } from '../tenants/TenantDirectory';
import { defaultPublicationHostname, detectModelType } from './build';
import { checkHostnameFree } from './checkHostnameFree';
import { summarizePublication } from './currentPublication';
import { createPublicationLister } from './listPublications';
import { publicationFingerprint } from './publicationFingerprint';
import type { LoadedModel, PublicationEngine } from './publicationEngine';

/** Publishing models through the gateway; every call checked against permissions. */
export interface PublicationService {
  /** Every publication in the tenants the caller may read. Never null. */
  list(ctx: CallContext): Promise<PublicationSummary[]>;
  get(ctx: CallContext, model: ModelLocator): Promise<PublicationSummary>;
  /** Publish or update: one idempotent apply of the whole object set; dryRun plans only. */
  publish(
    ctx: CallContext,
    model: ModelLocator,
    request: PublishRequest,
    options: { dryRun: boolean },
  ): Promise<PublishResult>;
  unpublish(
    ctx: CallContext,
    model: ModelLocator,
    options: { dryRun: boolean },
  ): Promise<PublishResult>;
  /**
   * A publish dry run, and the fingerprint of the state it planned against: a publish with
   * `ifUnchangedSince` set to it applies only while that state holds (the agent actions' plans).
   */
  plan(
    ctx: CallContext,
    model: ModelLocator,
    request: PublishRequest,
  ): Promise<{ result: PublishResult; fingerprint: string }>;
  /** {@link PublicationService.publish}, refused with a conflict if the state is no longer `fingerprint`. */
  publishIfUnchanged(
    ctx: CallContext,
    model: ModelLocator,
    request: PublishRequest,
    fingerprint: string,
  ): Promise<PublishResult>;
}

export function createPublicationService(deps: {
  config: InferenceConfig;
  clusters: ClusterRegistry;
  tenants: TenantDirectory;
  access: ModelAccess;
  engine: PublicationEngine;
  /** Adds each publication's last drift check (and the `drifted` state); as listed when absent. */
  withDrift?: (s: PublicationSummary[]) => Promise<PublicationSummary[]>;
}): PublicationService {
  const { config, clusters, tenants, access, engine } = deps;
  const withDrift = deps.withDrift ?? (async s => s);

  /** Platform caps, tighter than the schema's built-in bounds; every field over its cap is named. */
  function checkLimits(request: PublishRequest) {
    const problems = Object.entries(config.publishing.maxLimits).flatMap(
      ([field, max]) => {
        const value = request.limits[field as keyof PublishRequest['limits']];
        return max !== undefined && value !== undefined && value > max
          ? [
              {
                field: `limits.${field}`,
                message: `must be at most ${max.toLocaleString(
                  'en-US',
                )} on this platform`,
              },
            ]
          : [];
      },
    );
    if (problems.length > 0) throw new RequestValidationError(problems);
  }

  const listAll = createPublicationLister(clusters);

  return {
    async list(ctx) {
      return withDrift(
        await listAll(
          await access.tenantsAllowed(
            ctx.credentials,
            inferenceModelReadPermission,
          ),
        ),
      );
    },

    async get(ctx, model) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelReadPermission,
        model,
      );
      const loaded = await engine.loadPublished(tenant, model);
      const [summary] = await withDrift([
        summarizePublication(tenant, model.name, loaded.current)!,
      ]);
      return summary;
    },

    async publish(ctx, model, request, options) {
      return publish(ctx, model, request, options);
    },

    async plan(ctx, model, request) {
      let fingerprint = '';
      const result = await publish(ctx, model, request, {
        dryRun: true,
        onLoaded: loaded => {
          fingerprint = publicationFingerprint(loaded);
        },
      });
      return { result, fingerprint };
    },

    async publishIfUnchanged(ctx, model, request, fingerprint) {
      return publish(ctx, model, request, {
        dryRun: false,
        onLoaded: loaded => {
          if (publicationFingerprint(loaded) !== fingerprint)
            throw new ConflictError(
              `The publication of '${model.name}' or the model changed since the plan was made; make a new plan and review it`,
            );
        },
      });
    },

    async unpublish(ctx, model, options) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelPublishPermission,
        model,
      );
      return engine.withLock(model, async () =>
        engine.remove(ctx, await engine.load(tenant, model), options),
      );
    },
  };

  /** Checks, then plans or applies under the publication's lock; `onLoaded` sees what was read. */
  async function publish(
    ctx: CallContext,
    model: ModelLocator,
    request: PublishRequest,
    options: { dryRun: boolean; onLoaded?: (loaded: LoadedModel) => void },
  ): Promise<PublishResult> {
    const tenant = await access.require(
      ctx.credentials,
      inferenceModelPublishPermission,
      model,
    );
    checkLimits(request);
    // A dry run only reads, but it plans against the same state a real publish would apply to.
    return engine.withLock(model, async () => {
      const loaded = await engine.load(tenant, model);
      options.onLoaded?.(loaded);
      const modelType = detectModelType(loaded.isvc, request.modelType);
      const previous = loaded.current.request?.modelType;
      if (previous && previous !== modelType && !request.modelType) {
        throw new ConflictError(
          `modelType: the model is published as ${previous} but now looks ${modelType}; set modelType explicitly to change how it is published`,
        );
      }
      const converge = (precondition?: Promise<void>) =>
        engine.converge(
          ctx,
          loaded,
          { request, modelType, keys: loaded.current.keys },
          {
            dryRun: options.dryRun,
            action: 'publication.publish',
            precondition,
          },
        );
      if (modelType !== 'openai') return converge();
      const hostname =
        request.hostname ??
        defaultPublicationHostname(
          config.publishing,
          modelType,
          tenant.name,
          model.name,
        );
      // Already this publication's (its live OpenAI route serves the hostname): nobody else can
      // have taken it since, as every other claim checks for this route under the hostname's
      // lock. A re-publish or a limit change then needs neither the lock nor the check. (A
      // predictive route does not hold its hostname: those share hostnames by path.)
      const live = loaded.current.request;
      if (
        live?.modelType === 'openai' &&
        live.hostname.toLowerCase() === hostname.toLowerCase()
      )
        return converge();
      // Checked and applied under the hostname's lock: two tenants claiming it at once would
      // otherwise both find it free. The check (a list of routes) runs while the plan is made,
      // both only reading; converge awaits it before anything is applied.
      return engine.withHostnameLock(tenant.cluster, hostname, async () =>
        converge(
          (async () =>
            checkHostnameFree({
              cluster: clusters.get(tenant.cluster),
              tenant,
              tenants: await tenants.list(),
              model: model.name,
              hostname,
            }))(),
        ),
      );
    });
  }
}

import type { AuditorService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  DEFAULT_ROLLOUT_WINDOW,
  HistoryAction,
  inferenceModelReadPermission,
  inferenceModelUpdatePermission,
  ModelLocator,
  ModelSpec,
  modelSpecSchema,
  RolloutOperation,
  RolloutResult,
  RolloutStatus,
  RolloutVersion,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterRegistry,
  KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { RequestValidationError } from '../errors';
import type { HistoryStore } from '../history/HistoryStore';
import { recordMutation } from '../history/recordMutation';
import { modelNotFound } from '../models/ModelService';
import type { InferenceServiceObject } from '../models/types';
import type { ModelAccess } from '../permissions/ModelAccess';
import type { PublicationEngine } from '../publication/publicationEngine';
import type { CallContext } from '../requestContext';
import type { UsageService } from '../usage/UsageService';
import {
  decideAutoRollback,
  lastAutomaticRollback,
  readAutoRollback,
} from './autoRollback';
import { createBlueGreenRollouts } from './blueGreenRollout';
import { knativeOperation } from './knativeRollout';
import { predictorWorkload } from './predictorWorkload';
import {
  blueGreenStatus,
  deploymentModeOf,
  knativeRolloutStatus,
} from './rolloutStatus';

/**
 * Rolling a new version of a model out gradually: at a share of the traffic, then promoted to all
 * of it or rolled back (docs/architecture.md, "Rollouts"). Knative-mode models use KServe's canary
 * (./knativeRollout.ts); Standard-mode ones a second InferenceService behind the published route's
 * weights (./blueGreenRollout.ts). The portal's routes, the scaffolder action (through the API)
 * and the agent actions all come here. Every operation runs under the model's lock, takes
 * `dryRun` for the review step (the plan, nothing written) and is recorded in the model's history.
 */
export interface RolloutService {
  /**
   * The state, with each version's figures when usage is configured (absent, with the reason in
   * `usageUnavailable`, when Prometheus cannot be read: metrics never fail the status).
   */
  status(ctx: CallContext, model: ModelLocator): Promise<RolloutStatus>;
  change(
    ctx: CallContext,
    model: ModelLocator,
    operation: RolloutOperation,
    options: { dryRun: boolean },
  ): Promise<RolloutResult>;
  /**
   * The automatic roll back of one model, for the scheduled task (./progressRollouts.ts) with the
   * plugin's own credentials, so no permission is checked: when the rollout is a canary with an
   * automatic roll back whose threshold its new version's figures exceed, rolled back as a user's
   * roll back is (under the lock, planned, applied, one history row) with the reason as summary.
   * Doing nothing when there is nothing to do, so another replica's run finds it done.
   */
  autoRollback(
    ctx: CallContext,
    tenant: Tenant,
    model: ModelLocator,
  ): Promise<{ rolledBack: false } | { rolledBack: true; reason: string }>;
}

interface RolloutServiceDeps {
  clusters: ClusterRegistry;
  access: ModelAccess;
  engine: Pick<PublicationEngine, 'withLock' | 'load' | 'republish'>;
  history: HistoryStore;
  auditor: AuditorService;
  events?: EventsService;
  /** The per-version figures; without it (or not configured) rollouts have none. */
  usage?: Pick<UsageService, 'configured' | 'workloadUsage'>;
}

const USAGE_NOT_CONFIGURED =
  'Usage is not configured (inference.usage.prometheusUrl), so the versions have no figures and no automatic roll back';

const ACTIONS: Record<RolloutOperation['action'], HistoryAction> = {
  start: 'rollout.start',
  traffic: 'rollout.traffic',
  promote: 'rollout.promote',
  rollback: 'rollout.rollback',
};

function summaryOf(operation: RolloutOperation): string {
  switch (operation.action) {
    case 'start':
      return `new version rolled out for ${operation.version.canaryTrafficPercent} % of the traffic`;
    case 'traffic':
      return `new version set to ${operation.canaryTrafficPercent} % of the traffic`;
    case 'promote':
      return 'new version promoted to all traffic';
    default:
      return 'rolled back: all traffic to the previous version';
  }
}

/** A whole model spec from a change, validated as creating the model would be; 400 naming fields. */
function parseSpec(spec: Record<string, unknown>): ModelSpec {
  const parsed = modelSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new RequestValidationError(
      parsed.error.issues.map(i => ({
        field: i.path.join('.'),
        message: i.message,
      })),
    );
  }
  return parsed.data;
}

export function createRolloutService(deps: RolloutServiceDeps): RolloutService {
  const { clusters, access, engine } = deps;
  const blueGreen = createBlueGreenRollouts({ clusters, engine });

  async function read(model: ModelLocator) {
    const isvc = await clusters.get(model.cluster).get<InferenceServiceObject>({
      ...KINDS.inferenceService,
      namespace: model.namespace,
      name: model.name,
    });
    if (!isvc) throw modelNotFound(model);
    return isvc;
  }

  /** One operation, planned (dryRun) or applied; the caller holds the model's lock. */
  async function operate(
    ctx: CallContext,
    tenant: Tenant,
    model: ModelLocator,
    operation: RolloutOperation,
    dryRun: boolean,
  ): Promise<RolloutResult> {
    const isvc = await read(model);
    if (deploymentModeOf(isvc) === 'Knative') {
      return knativeOperation({
        cluster: clusters.get(model.cluster),
        tenant,
        model,
        isvc,
        operation,
        parse: parseSpec,
        dryRun,
      });
    }
    const loaded = await engine.load(tenant, model);
    const after = () => engine.load(tenant, model);
    switch (operation.action) {
      case 'start': {
        const { canaryTrafficPercent, autoRollback, ...version } =
          operation.version;
        return blueGreen.start(
          ctx,
          loaded,
          current => ({ ...current, ...version }),
          canaryTrafficPercent,
          parseSpec,
          dryRun,
          after,
          autoRollback,
        );
      }
      case 'traffic':
        return blueGreen.setTraffic(
          ctx,
          loaded,
          operation.canaryTrafficPercent,
          dryRun,
          after,
        );
      case 'promote':
        return blueGreen.promote(ctx, loaded, dryRun, after);
      default:
        return blueGreen.rollback(ctx, loaded, dryRun, after);
    }
  }

  /** The state as the cluster has it, with the automatic roll back asked for; no figures. */
  async function currentStatus(
    tenant: Tenant,
    model: ModelLocator,
  ): Promise<RolloutStatus> {
    const isvc = await read(model);
    if (deploymentModeOf(isvc) === 'Knative') {
      const status = knativeRolloutStatus(model, isvc);
      const autoRollback = status.candidate
        ? readAutoRollback(isvc)
        : undefined;
      return autoRollback ? { ...status, autoRollback } : status;
    }
    const loaded = await engine.load(tenant, model);
    const status = blueGreenStatus(model, loaded);
    const autoRollback = readAutoRollback(loaded.candidate);
    return autoRollback ? { ...status, autoRollback } : status;
  }

  /** Each version's figures over the rollout's window, or why there are none. */
  async function withUsage(
    tenant: Tenant,
    status: RolloutStatus,
  ): Promise<RolloutStatus> {
    const sides = [status.stable, status.candidate].filter(
      (v): v is RolloutVersion => v !== undefined,
    );
    if (!status.supported || sides.length === 0) return status;
    if (!deps.usage?.configured) {
      return {
        ...status,
        usageUnavailable: {
          code: 'notConfigured',
          message: USAGE_NOT_CONFIGURED,
        },
      };
    }
    const window = status.autoRollback?.window ?? DEFAULT_ROLLOUT_WINDOW;
    try {
      const figures = await deps.usage.workloadUsage(
        tenant.namespace,
        sides.map(v => predictorWorkload(status.deploymentMode, v.revision)),
        window,
      );
      const withFigures = (v: RolloutVersion | undefined) =>
        v && { ...v, usage: figures[sides.indexOf(v)] };
      return {
        ...status,
        stable: withFigures(status.stable),
        candidate: withFigures(status.candidate),
      };
    } catch (error) {
      // The state is worth showing without the figures: say why they are missing instead.
      return {
        ...status,
        usageUnavailable: {
          code: 'unavailable',
          message: (error as Error).message,
        },
      };
    }
  }

  return {
    async status(ctx, model) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelReadPermission,
        model,
      );
      const [status, entries] = await Promise.all([
        currentStatus(tenant, model),
        deps.history.listForModel(model, { limit: 20 }),
      ]);
      const automaticRollback = lastAutomaticRollback(entries);
      return withUsage(
        tenant,
        automaticRollback ? { ...status, automaticRollback } : status,
      );
    },

    async autoRollback(ctx, tenant, model) {
      const nothing = { rolledBack: false } as const;
      if (!deps.usage?.configured) return nothing;
      const before = await currentStatus(tenant, model);
      const settings = before.autoRollback;
      if (before.phase !== 'canary' || !settings || !before.candidate) {
        return nothing;
      }
      const [figures] = await deps.usage.workloadUsage(
        tenant.namespace,
        [predictorWorkload(before.deploymentMode, before.candidate.revision)],
        settings.window,
      );
      const decision = decideAutoRollback(settings, figures);
      if (!decision.rollBack) return nothing;
      return engine.withLock(model, async () => {
        // Read again under the lock: another replica's run, or a user, may have acted meanwhile.
        const now = await currentStatus(tenant, model);
        if (
          now.phase !== 'canary' ||
          now.candidate?.revision !== before.candidate!.revision
        ) {
          return nothing;
        }
        const operation = { action: 'rollback' } as const;
        await operate(ctx, tenant, model, operation, true);
        await recordMutation(
          deps,
          ctx,
          { action: 'rollout.rollback', tenant: tenant.name, model },
          async () => {
            const result = await operate(ctx, tenant, model, operation, false);
            return {
              result,
              changes: result.changes,
              summary: decision.reason,
            };
          },
        );
        return { rolledBack: true, reason: decision.reason } as const;
      });
    },

    async change(ctx, model, operation, { dryRun }) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelUpdatePermission,
        model,
      );
      if (
        operation.action === 'start' &&
        operation.version.autoRollback &&
        !deps.usage?.configured
      ) {
        // It would never fire: refused rather than accepted and silently ignored.
        throw new RequestValidationError([
          {
            field: 'autoRollback',
            message:
              'needs usage figures, and usage is not configured (inference.usage.prometheusUrl)',
          },
        ]);
      }
      return engine.withLock(model, async () => {
        // Planned first, also before an apply: a refusal (the state does not allow it, the new
        // spec is invalid, the cluster would reject it) changes nothing and is no history entry.
        const plan = await operate(ctx, tenant, model, operation, true);
        if (dryRun) return plan;
        return recordMutation(
          deps,
          ctx,
          { action: ACTIONS[operation.action], tenant: tenant.name, model },
          async () => {
            const result = await operate(ctx, tenant, model, operation, false);
            return {
              result,
              changes: result.changes,
              summary: summaryOf(operation),
            };
          },
        );
      });
    },
  };
}

import type { AuditorService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  HistoryAction,
  inferenceModelReadPermission,
  inferenceModelUpdatePermission,
  ModelLocator,
  ModelSpec,
  modelSpecSchema,
  RolloutOperation,
  RolloutResult,
  RolloutStatus,
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
import { createBlueGreenRollouts } from './blueGreenRollout';
import { knativeOperation } from './knativeRollout';
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
  status(ctx: CallContext, model: ModelLocator): Promise<RolloutStatus>;
  change(
    ctx: CallContext,
    model: ModelLocator,
    operation: RolloutOperation,
    options: { dryRun: boolean },
  ): Promise<RolloutResult>;
}

interface RolloutServiceDeps {
  clusters: ClusterRegistry;
  access: ModelAccess;
  engine: Pick<PublicationEngine, 'withLock' | 'load' | 'republish'>;
  history: HistoryStore;
  auditor: AuditorService;
  events?: EventsService;
}

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
        const { canaryTrafficPercent, ...version } = operation.version;
        return blueGreen.start(
          ctx,
          loaded,
          current => ({ ...current, ...version }),
          canaryTrafficPercent,
          parseSpec,
          dryRun,
          after,
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

  return {
    async status(ctx, model) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelReadPermission,
        model,
      );
      const isvc = await read(model);
      return deploymentModeOf(isvc) === 'Knative'
        ? knativeRolloutStatus(model, isvc)
        : blueGreenStatus(model, await engine.load(tenant, model));
    },

    async change(ctx, model, operation, { dryRun }) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelUpdatePermission,
        model,
      );
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

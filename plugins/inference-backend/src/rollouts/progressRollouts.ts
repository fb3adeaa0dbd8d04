import type {
  AuditorService,
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  LABEL_CANDIDATE_OF,
  ModelLocator,
  Tenant,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterRegistry,
  KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { HistoryStore } from '../history/HistoryStore';
import { recordMutation } from '../history/recordMutation';
import type { PublicationEngine } from '../publication/publicationEngine';
import type { CallContext } from '../requestContext';
import type { TenantDirectory } from '../tenants/TenantDirectory';
import { rawAutoRollback } from './autoRollback';
import { createBlueGreenRollouts } from './blueGreenRollout';
import type { RolloutService } from './RolloutService';

export interface ProgressRun {
  progressed: ModelLocator[];
  /** Rolled back automatically in this run, with the reason. */
  rolledBack: { model: ModelLocator; reason: string }[];
  failures: { model: ModelLocator; error: Error }[];
}

/**
 * Moves blue-green rollouts on without anyone asking (./blueGreenRollout.ts `progress`): a
 * candidate that became Ready gets its share of the route, one that stopped being Ready loses it,
 * and a promotion ends once the model's own InferenceService is Ready with the new spec. Each
 * model under its lock, read afresh; each step recorded in its history with this plugin as actor.
 * Then, when usage is configured, the automatic roll backs (RolloutService `autoRollback`) of
 * every rollout that asked for one.
 */
/** A failure that concerns every model of a tenant (its InferenceServices could not be listed). */
const wholeTenant = (tenant: Tenant): ModelLocator => ({
  cluster: tenant.cluster,
  namespace: tenant.namespace,
  name: '*',
});

export function createRolloutProgress(deps: {
  clusters: ClusterRegistry;
  tenants: TenantDirectory;
  engine: Pick<PublicationEngine, 'withLock' | 'load' | 'republish'>;
  history: HistoryStore;
  auditor: AuditorService;
  events?: EventsService;
  /** Checks and runs automatic roll backs; without it the task leaves them alone. */
  rollouts?: Pick<RolloutService, 'autoRollback'>;
}) {
  const { clusters, tenants, engine } = deps;
  const blueGreen = createBlueGreenRollouts({ clusters, engine });

  /**
   * The models of a tenant whose rollout asked for an automatic roll back: the annotation is on
   * the model's InferenceService (Knative) or on its candidate (Standard), which names its model.
   */
  async function withAutoRollback(tenant: Tenant): Promise<ModelLocator[]> {
    const isvcs = await clusters
      .get(tenant.cluster)
      .list(KINDS.inferenceService.apiVersion, KINDS.inferenceService.kind, {
        namespace: tenant.namespace,
      });
    const names = isvcs
      .filter(isvc => rawAutoRollback(isvc) !== undefined)
      .map(
        isvc =>
          isvc.metadata.labels?.[LABEL_CANDIDATE_OF] ?? isvc.metadata.name,
      );
    return [...new Set(names)].map(name => ({
      cluster: tenant.cluster,
      namespace: tenant.namespace,
      name,
    }));
  }

  async function autoRollbacks(
    ctx: CallContext,
    tenant: Tenant,
    run: ProgressRun,
  ) {
    if (!deps.rollouts) return;
    let models: ModelLocator[];
    try {
      models = await withAutoRollback(tenant);
    } catch (error) {
      run.failures.push({ model: wholeTenant(tenant), error: error as Error });
      return;
    }
    for (const model of models) {
      try {
        const outcome = await deps.rollouts.autoRollback(ctx, tenant, model);
        if (outcome.rolledBack) {
          run.rolledBack.push({ model, reason: outcome.reason });
        }
      } catch (error) {
        run.failures.push({ model, error: error as Error });
      }
    }
  }

  return {
    async progressAll(ctx: CallContext): Promise<ProgressRun> {
      const run: ProgressRun = { progressed: [], rolledBack: [], failures: [] };
      for (const tenant of await tenants.list()) {
        const cluster = clusters.get(tenant.cluster);
        let candidates;
        try {
          candidates = await cluster.list(
            KINDS.inferenceService.apiVersion,
            KINDS.inferenceService.kind,
            { namespace: tenant.namespace, labelSelector: LABEL_CANDIDATE_OF },
          );
        } catch (error) {
          run.failures.push({
            model: wholeTenant(tenant),
            error: error as Error,
          });
          continue;
        }
        for (const candidate of candidates) {
          const model = {
            cluster: tenant.cluster,
            namespace: tenant.namespace,
            name: candidate.metadata.labels![LABEL_CANDIDATE_OF],
          };
          try {
            const moved = await engine.withLock(model, async () => {
              const loaded = await engine.load(tenant, model);
              // Planned read-only first: most runs find nothing to do and write no history.
              return blueGreen.progress(ctx, loaded, recorded =>
                recordMutation(
                  deps,
                  ctx,
                  { action: recorded.action, tenant: tenant.name, model },
                  async () => {
                    const outcome = await recorded.apply();
                    return {
                      result: true,
                      changes: outcome,
                      summary: recorded.summary,
                    };
                  },
                ),
              );
            });
            if (moved) run.progressed.push(model);
          } catch (error) {
            run.failures.push({ model, error: error as Error });
          }
        }
        await autoRollbacks(ctx, tenant, run);
      }
      return run;
    },
  };
}

export type RolloutProgress = ReturnType<typeof createRolloutProgress>;

/**
 * Runs {@link createRolloutProgress} every `frequencySeconds` (`inference.rollouts.frequencySeconds`),
 * once per interval across replicas (scope global, as key expiry: each model is changed under its
 * lock anyway).
 */
export async function scheduleRolloutProgress(deps: {
  scheduler: SchedulerService;
  auth: AuthService;
  logger: LoggerService;
  progress: RolloutProgress;
  frequencySeconds: number;
}): Promise<void> {
  const { logger } = deps;
  await deps.scheduler.scheduleTask({
    id: 'inference-progress-rollouts',
    frequency: { seconds: deps.frequencySeconds },
    timeout: { minutes: 2 },
    scope: 'global',
    fn: async () => {
      const run = await deps.progress.progressAll({
        credentials: await deps.auth.getOwnServiceCredentials(),
      });
      for (const { model, reason } of run.rolledBack)
        logger.info(
          `Rolled back ${model.cluster}/${model.namespace}/${model.name}: ${reason}`,
          {
            cluster: model.cluster,
            namespace: model.namespace,
            model: model.name,
          },
        );
      for (const { model, error } of run.failures)
        logger.error(
          `Could not move the rollout of ${model.cluster}/${model.namespace}/${model.name} on: ${error.message}; tried again on the next run`,
          {
            cluster: model.cluster,
            namespace: model.namespace,
            model: model.name,
          },
        );
    },
  });
}

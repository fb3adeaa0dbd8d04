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
import { createBlueGreenRollouts } from './blueGreenRollout';

export interface ProgressRun {
  progressed: ModelLocator[];
  failures: { model: ModelLocator; error: Error }[];
}

/**
 * Moves blue-green rollouts on without anyone asking (./blueGreenRollout.ts `progress`): a
 * candidate that became Ready gets its share of the route, one that stopped being Ready loses it,
 * and a promotion ends once the model's own InferenceService is Ready with the new spec. Each
 * model under its lock, read afresh; each step recorded in its history with this plugin as actor.
 */
export function createRolloutProgress(deps: {
  clusters: ClusterRegistry;
  tenants: TenantDirectory;
  engine: Pick<PublicationEngine, 'withLock' | 'load' | 'republish'>;
  history: HistoryStore;
  auditor: AuditorService;
  events?: EventsService;
}) {
  const { clusters, tenants, engine } = deps;
  const blueGreen = createBlueGreenRollouts({ clusters, engine });

  return {
    async progressAll(ctx: CallContext): Promise<ProgressRun> {
      const run: ProgressRun = { progressed: [], failures: [] };
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
          const model = {
            cluster: tenant.cluster,
            namespace: tenant.namespace,
            name: '*',
          };
          run.failures.push({ model, error: error as Error });
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

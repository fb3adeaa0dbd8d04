import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Recovery } from './completeInterrupted';

/**
 * Looks for changes that stopped replicas left half applied, every `frequencySeconds`, and applies
 * them again (completeInterrupted.ts).
 *
 * Scope local: every replica looks, on its own. A task of global scope is claimed through a ticket
 * in the scheduler's tasks table, and a replica that dies while holding the ticket blocks the task
 * until the run's timeout has passed and a janitor pass (every minute) cleared it (upstream
 * backstage/backstage, packages/backend-defaults/src/entrypoints/scheduler/lib/TaskWorker.ts
 * `tryClaimTask`, PluginTaskSchedulerJanitor.ts): the job that cleans up after dead replicas must
 * not wait for that. Each interrupted change is still completed once: under its publication's
 * lock, and only while its intent row is there (the first replica to complete it deletes it). A
 * look is one query of a small table.
 */
export async function scheduleRecovery(deps: {
  scheduler: SchedulerService;
  auth: AuthService;
  logger: LoggerService;
  recovery: Recovery;
  frequencySeconds: number;
}): Promise<void> {
  const { logger } = deps;
  await deps.scheduler.scheduleTask({
    id: 'inference-complete-interrupted-changes',
    frequency: { seconds: deps.frequencySeconds },
    timeout: { minutes: 2 },
    scope: 'local',
    fn: async () => {
      const run = await deps.recovery.completeAll(
        await deps.auth.getOwnServiceCredentials(),
      );
      for (const model of run.completed)
        logger.warn(
          `Applied again the change to the publication of ${model.cluster}/${model.namespace}/${model.name} that a stopped replica left half applied`,
          {
            cluster: model.cluster,
            namespace: model.namespace,
            model: model.name,
          },
        );
      for (const { model, error } of run.failures)
        logger.error(
          `Could not complete the interrupted change to the publication of ${model.cluster}/${model.namespace}/${model.name}: ${error.message}; it is tried again on the next run, and the next change to it replaces it`,
          {
            cluster: model.cluster,
            namespace: model.namespace,
            model: model.name,
          },
        );
    },
  });
}

import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { DriftService } from './DriftService';

/**
 * The scheduled drift check: one task for the whole deployment (global scope: one replica at a
 * time claims each run through the scheduler's tasks table in the shared database, upstream
 * backstage/backstage packages/backend-defaults/src/entrypoints/scheduler/lib/TaskWorker.ts
 * `tryClaimTask`), every `frequencySeconds`. Failures are logged per publication; the others are
 * still checked.
 */
export async function scheduleDriftCheck(deps: {
  scheduler: SchedulerService;
  auth: AuthService;
  logger: LoggerService;
  drift: DriftService;
  frequencySeconds: number;
}): Promise<void> {
  const { logger } = deps;
  await deps.scheduler.scheduleTask({
    id: 'inference-drift-check',
    frequency: { seconds: deps.frequencySeconds },
    timeout: { minutes: 10 },
    initialDelay: { seconds: Math.min(deps.frequencySeconds, 30) },
    scope: 'global',
    fn: async () => {
      const run = await deps.drift.checkAll(
        await deps.auth.getOwnServiceCredentials(),
      );
      if (run.drifted > 0 || run.restored > 0)
        logger.info(
          `Drift check: ${run.checked} publication(s) checked, ${run.drifted} drifted, guards restored on ${run.restored}`,
        );
      for (const { model, error } of run.failures)
        logger.error(
          `Drift check of ${model.cluster}/${model.namespace}/${model.name} failed: ${error.message}`,
          {
            cluster: model.cluster,
            namespace: model.namespace,
            model: model.name,
          },
        );
    },
  });
}

import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/**
 * Every 5 minutes; events from the inference backend refresh sooner after the portal's changes.
 *
 * Scope global (also when the configured schedule names none): with several backend replicas, one
 * full sync per interval for the whole deployment, not one per replica. Backstage's scheduler
 * claims each run of a global task through its tasks table in the shared database, so one replica
 * at a time runs it, and the next start is set a whole interval after the previous one (upstream
 * backstage/backstage, packages/backend-defaults/src/entrypoints/scheduler/lib/TaskWorker.ts,
 * `tryClaimTask`, `computeNextRunStartAt`). The syncs the portal's own changes request
 * (`requestRefresh`) run on the replica that made the change.
 */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  scope: 'global',
};

export interface InferenceProviderConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** `catalog.providers.inference` (schema: ../../config.d.ts). */
export function readProviderConfig(config: Config): InferenceProviderConfig {
  const schedule = config.getOptionalConfig(
    'catalog.providers.inference.schedule',
  );
  if (!schedule) return { schedule: DEFAULT_SCHEDULE };
  const configured =
    readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule);
  return { schedule: { ...configured, scope: configured.scope ?? 'global' } };
}

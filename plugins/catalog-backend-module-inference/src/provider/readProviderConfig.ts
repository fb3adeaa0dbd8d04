import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/** Every 5 minutes; events from the inference backend refresh sooner after the portal's changes. */
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
};

export interface InferenceProviderConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** `catalog.providers.inference` (schema: ../../config.d.ts). */
export function readProviderConfig(config: Config): InferenceProviderConfig {
  const schedule = config.getOptionalConfig(
    'catalog.providers.inference.schedule',
  );
  return {
    schedule: schedule
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule)
      : DEFAULT_SCHEDULE,
  };
}

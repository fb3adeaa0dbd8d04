import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The inference entity provider: InferenceServices of the tenant namespaces (clusters from
       * the `inference` config) as model Components, publications as API entities.
       */
      inference?: {
        /**
         * When to run a full sync. Default: every 5 minutes, 3 minute timeout. The portal's own
         * changes (create, publish, unpublish) trigger a sync at once. The scope defaults to
         * `global`: one sync per interval across all backend replicas.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}

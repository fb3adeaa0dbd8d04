import { createServiceFactory } from '@backstage/backend-plugin-api';
import { coreServices } from '@backstage/backend-plugin-api';
import {
  MetricAttributes,
  MetricsService,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';

/** What a replica prints, one line per event, for ./startReplicas.ts to parse. */
export const TASK_RUN_MARKER = 'REPLICA_TASK_RUN ';

/** One start or end of a scheduled task's run, as the scheduler counted it. */
export interface TaskRunEvent {
  plugin: string;
  taskId: string;
  scope: string;
  /** `started`, then `completed` or `failed`. */
  result: string;
  /** Epoch ms, this replica's clock. */
  at: number;
}

const noop = () => {};
const observable = { addCallback: noop, removeCallback: noop };

/**
 * The metrics service of a replica under test: every instrument is a no-op (as the default
 * service's are without an OpenTelemetry SDK), except the scheduler's run counter, which is printed.
 *
 * Backstage's scheduler counts each run of a task on the replica that runs it:
 * `backend_tasks.task.runs.count` with `{ taskId, scope, result: 'started' }` before calling the
 * task's function and `result: 'completed' | 'failed'` after (upstream backstage/backstage,
 * packages/backend-defaults/src/entrypoints/scheduler/lib/PluginTaskSchedulerImpl.ts,
 * `instrumentedFunction`; the metrics service is a dependency of its scheduler service factory,
 * schedulerServiceFactory.ts). So the tests count runs with the scheduler's own counter, as a
 * Prometheus scrape of each replica would, without touching the scheduler.
 */
function taskRunMetrics(plugin: string): MetricsService {
  return {
    createCounter<T extends MetricAttributes>(name: string) {
      if (name !== 'backend_tasks.task.runs.count') return { add: noop };
      return {
        add(_value: number, attributes?: T) {
          const event: TaskRunEvent = {
            plugin,
            taskId: String(attributes?.taskId),
            scope: String(attributes?.scope),
            result: String(attributes?.result),
            at: Date.now(),
          };
          process.stdout.write(`${TASK_RUN_MARKER}${JSON.stringify(event)}\n`);
        },
      };
    },
    createUpDownCounter: () => ({ add: noop }),
    createHistogram: () => ({ record: noop }),
    createGauge: () => ({ record: noop }),
    createObservableCounter: () => observable,
    createObservableUpDownCounter: () => observable,
    createObservableGauge: () => observable,
  };
}

export const taskRunMetricsFactory = createServiceFactory({
  service: metricsServiceRef,
  deps: { pluginMetadata: coreServices.pluginMetadata },
  factory: ({ pluginMetadata }) => taskRunMetrics(pluginMetadata.getId()),
});

import { KubeObject } from '../../store/types';
import {
  at,
  formatLabels,
  formatLabelSelector,
  hasTrueCondition,
  int,
  labelSelectorString,
  list,
  obj,
  str,
  templateContainers,
} from './cellFormatting';
import {
  humanDuration,
  parseTimestamp,
  translateTimestampSince,
} from './humanDuration';
import { column } from './tableTypes';
import { namedAgedTable, podTemplateTable } from './tableShapes';

/**
 * Tables of the workload kinds, after the column definitions and
 * `printDeployment`, `printReplicaSet`, `printStatefulSet`,
 * `printDaemonSet`, `printJob`, `printCronJob` and
 * `printHorizontalPodAutoscaler` of kubernetes
 * pkg/printers/internalversion/printers.go (v1.32). The server always
 * fills the wide (priority 1) cells; kubectl shows them with `-o wide`.
 * Unset `spec.replicas` counts as the API server's default, 1.
 */

const replicas = (o: KubeObject) => int(at(o, 'spec', 'replicas'), 1);
const statusInt = (o: KubeObject, field: string) => int(at(o, 'status', field));
/** The "ready/desired" cell of Deployments and StatefulSets. */
const readyOfDesired = (o: KubeObject) =>
  `${statusInt(o, 'readyReplicas')}/${replicas(o)}`;

export const deploymentTable = podTemplateTable(
  [
    column('Ready', 'string', 'Number of the pod with ready state'),
    column(
      'Up-to-date',
      'string',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    column(
      'Available',
      'string',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
  ],
  o => [
    readyOfDesired(o),
    statusInt(o, 'updatedReplicas'),
    statusInt(o, 'availableReplicas'),
  ],
  {
    selectorDescription: 'Label selector for pods.',
    selector: o =>
      labelSelectorString(at(o, 'spec', 'selector')) ?? '<invalid>',
  },
);

export const replicaSetTable = podTemplateTable(
  [
    column('Desired', 'integer', 'Replicas is the number of desired pods.'),
    column(
      'Current',
      'integer',
      'Replicas is the most recently observed number of replicas.',
    ),
    column(
      'Ready',
      'integer',
      'The number of ready replicas for this replica set.',
    ),
  ],
  o => [replicas(o), statusInt(o, 'replicas'), statusInt(o, 'readyReplicas')],
  {
    selectorDescription:
      'Selector is a label query over pods that should match the replica count.',
  },
);

export const statefulSetTable = podTemplateTable(
  [column('Ready', 'string', 'Number of the pod with ready state')],
  o => [readyOfDesired(o)],
  {},
);

export const daemonSetTable = podTemplateTable(
  [
    column(
      'Desired',
      'integer',
      'The total number of nodes that should be running the daemon pod.',
    ),
    column(
      'Current',
      'integer',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
    ),
    column(
      'Ready',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
    ),
    column(
      'Up-to-date',
      'integer',
      'The total number of nodes that are running updated daemon pod.',
    ),
    column(
      'Available',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
    ),
    column(
      'Node Selector',
      'string',
      'NodeSelector is a selector which must be true for the pod to fit on a node.',
    ),
  ],
  o => [
    statusInt(o, 'desiredNumberScheduled'),
    statusInt(o, 'currentNumberScheduled'),
    statusInt(o, 'numberReady'),
    statusInt(o, 'updatedNumberScheduled'),
    statusInt(o, 'numberAvailable'),
    formatLabels(at(o, 'spec', 'template', 'spec', 'nodeSelector')),
  ],
  {
    selectorDescription:
      'A label query over pods that are managed by the daemon set.',
  },
);

function jobStatus(o: KubeObject): string {
  const conditions = at(o, 'status', 'conditions');
  if (hasTrueCondition(conditions, 'Complete')) return 'Complete';
  if (hasTrueCondition(conditions, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (hasTrueCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasTrueCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(o: KubeObject): string {
  const succeeded = statusInt(o, 'succeeded');
  const completions = at(o, 'spec', 'completions');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = int(at(o, 'spec', 'parallelism'));
  return parallelism > 1
    ? `${succeeded}/1 of ${parallelism}`
    : `${succeeded}/1`;
}

function jobDuration(o: KubeObject, now: number): string {
  const start = parseTimestamp(at(o, 'status', 'startTime'));
  if (start === undefined) return '';
  const end = parseTimestamp(at(o, 'status', 'completionTime')) ?? now;
  return humanDuration(end - start);
}

export const jobTable = podTemplateTable(
  [
    column('Status', 'string', 'Status of the job.'),
    column(
      'Completions',
      'string',
      'The number of pods which reached phase Succeeded.',
    ),
    column('Duration', 'string', 'Time required to complete the job.'),
  ],
  (o, now) => [jobStatus(o), jobCompletions(o), jobDuration(o, now)],
  {
    selectorDescription:
      'A label query over pods that should match the pod count.',
  },
);

const cronJobSpec = (o: KubeObject) => at(o, 'spec', 'jobTemplate', 'spec');

export const cronJobTable = podTemplateTable(
  [
    column('Schedule', 'string', 'The schedule in Cron format.'),
    column('Timezone', 'string', 'The time zone name for the given schedule.'),
    column(
      'Suspend',
      'boolean',
      'This flag tells the controller to suspend subsequent executions.',
    ),
    column(
      'Active',
      'integer',
      'A list of pointers to currently running jobs.',
    ),
    column(
      'Last Schedule',
      'string',
      'Information when was the last time the job was successfully scheduled.',
    ),
  ],
  (o, now) => {
    const lastSchedule = at(o, 'status', 'lastScheduleTime');
    return [
      str(at(o, 'spec', 'schedule')),
      str(at(o, 'spec', 'timeZone')) || '<none>',
      printBoolPtr(at(o, 'spec', 'suspend')),
      list(at(o, 'status', 'active')).length,
      lastSchedule ? translateTimestampSince(lastSchedule, now) : '<none>',
    ];
  },
  {
    selectorDescription:
      'A label query over pods that should match the pod count.',
    containers: o => templateContainers({ spec: cronJobSpec(o) }),
    selector: o => formatLabelSelector(at(cronJobSpec(o), 'selector')),
  },
);

/** `printBoolPtr`: True, False or <unset>. */
function printBoolPtr(value: unknown): string {
  if (typeof value !== 'boolean') return '<unset>';
  return value ? 'True' : 'False';
}

/** A resource.Quantity as its string (canonicalisation is not done). */
const quantity = (value: unknown): string =>
  typeof value === 'number' ? String(value) : str(value);

/** One metric of `formatHPAMetrics` (autoscaling/v2 shape). */
function hpaMetric(
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
): string {
  const source = (key: string) => obj(spec[key]);
  const current = (key: string) => obj(obj(status[key]).current);
  const hasStatus = (key: string) => status[key] !== undefined;
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const key = spec.type === 'External' ? 'external' : 'object';
      const target = obj(source(key).target);
      if (target.averageValue !== undefined) {
        const now = current(key).averageValue;
        return `${
          now !== undefined && hasStatus(key) ? quantity(now) : '<unknown>'
        }/${quantity(target.averageValue)} (avg)`;
      }
      const now = hasStatus(key) ? quantity(current(key).value) : '<unknown>';
      return `${now}/${quantity(target.value)}`;
    }
    case 'Pods': {
      const now = hasStatus('pods')
        ? quantity(current('pods').averageValue)
        : '<unknown>';
      return `${now}/${quantity(obj(source('pods').target).averageValue)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
      const name = str(source(key).name);
      const target = obj(source(key).target);
      if (target.averageValue !== undefined) {
        const now = hasStatus(key)
          ? quantity(current(key).averageValue)
          : '<unknown>';
        return `${name}: ${now}/${quantity(target.averageValue)}`;
      }
      const utilization = current(key).averageUtilization;
      const now =
        hasStatus(key) && typeof utilization === 'number'
          ? `${utilization}%`
          : '<unknown>';
      const goal =
        typeof target.averageUtilization === 'number'
          ? `${target.averageUtilization}%`
          : '<auto>';
      return `${name}: ${now}/${goal}`;
    }
    default:
      return '<unknown type>';
  }
}

/** `formatHPAMetrics`; autoscaling/v1's CPU target is read as a Resource metric. */
function hpaTargets(o: KubeObject): string {
  const spec = obj(o.spec);
  const status = obj(o.status);
  let specs = list(spec.metrics).map(obj);
  let statuses = list(status.currentMetrics).map(obj);
  if (
    specs.length === 0 &&
    typeof spec.targetCPUUtilizationPercentage === 'number'
  ) {
    specs = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { averageUtilization: spec.targetCPUUtilizationPercentage },
        },
      },
    ];
    const currentCpu = status.currentCPUUtilizationPercentage;
    statuses =
      typeof currentCpu === 'number'
        ? [{ resource: { current: { averageUtilization: currentCpu } } }]
        : [];
  }
  if (specs.length === 0) return '<none>';
  const shown = specs
    .slice(0, 2)
    .map((s, i) => hpaMetric(s, statuses[i] ?? {}));
  const text = shown.join(', ');
  return specs.length > 2 ? `${text} + ${specs.length - 2} more...` : text;
}

export const horizontalPodAutoscalerTable = namedAgedTable(
  [
    column(
      'Reference',
      'string',
      'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.',
    ),
    column(
      'Targets',
      'string',
      'metrics contains the specifications for which to use to calculate the desired replica count.',
    ),
    column(
      'MinPods',
      'string',
      'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.',
    ),
    column(
      'MaxPods',
      'string',
      'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.',
    ),
    column(
      'Replicas',
      'string',
      'currentReplicas is current number of replicas of pods managed by this autoscaler.',
    ),
  ],
  o => {
    const target = obj(at(o, 'spec', 'scaleTargetRef'));
    const minReplicas = at(o, 'spec', 'minReplicas');
    return [
      `${str(target.kind)}/${str(target.name)}`,
      hpaTargets(o),
      typeof minReplicas === 'number' ? String(minReplicas) : '<unset>',
      int(at(o, 'spec', 'maxReplicas')),
      statusInt(o, 'currentReplicas'),
    ];
  },
);

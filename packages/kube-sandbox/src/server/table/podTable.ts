import { KubeObject } from '../../store/types';
import { at, hasTrueCondition, int, list, obj, str } from './cellFormatting';
import { translateTimestampSince } from './humanDuration';
import {
  ageColumn,
  column,
  nameColumn,
  RowCells,
  TableConvertor,
  TableRowCondition,
} from './tableTypes';

/**
 * `kubectl get pods`: the columns and `printPod` of kubernetes
 * pkg/printers/internalversion/printers.go (v1.32): READY counts ready
 * containers (and started, ready restartable init containers), STATUS is
 * the phase refined by init container and container states, RESTARTS adds
 * "(<age> ago)" of the last restart, and the wide columns are IP, NODE,
 * NOMINATED NODE and READINESS GATES.
 */

const COLUMNS = [
  nameColumn(),
  column(
    'Ready',
    'string',
    'The aggregate readiness state of this pod for accepting traffic.',
  ),
  column(
    'Status',
    'string',
    'The aggregate status of the containers in this pod.',
  ),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  ageColumn(),
  column('IP', 'string', 'podIP address allocated to the pod.', {
    priority: 1,
  }),
  column(
    'Node',
    'string',
    'NodeName indicates in which node this pod is scheduled.',
    {
      priority: 1,
    },
  ),
  column(
    'Nominated Node',
    'string',
    'nominatedNodeName is set only when this pod preempts other pods on the node.',
    { priority: 1 },
  ),
  column(
    'Readiness Gates',
    'string',
    'If specified, all readiness gates will be evaluated for pod readiness.',
    { priority: 1 },
  ),
];

const SUCCEEDED: TableRowCondition[] = [
  {
    type: 'Completed',
    status: 'True',
    reason: 'Succeeded',
    message: 'The pod has completed successfully.',
  },
];
const FAILED: TableRowCondition[] = [
  {
    type: 'Completed',
    status: 'True',
    reason: 'Failed',
    message: 'The pod failed.',
  },
];

type Json = Record<string, unknown>;

/** `podutil.IsRestartableInitContainer`: a sidecar (restartPolicy Always). */
function isRestartable(container: Json | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

/** The later of two timestamps (either may be missing). */
function later(a: string | undefined, b: unknown): string | undefined {
  if (typeof b !== 'string' || b === '') return a;
  return a === undefined || Date.parse(b) > Date.parse(a) ? b : a;
}

function terminatedReason(terminated: Json, prefix: string): string {
  if (str(terminated.reason)) return `${prefix}${str(terminated.reason)}`;
  if (int(terminated.signal) !== 0) {
    return `${prefix}Signal:${int(terminated.signal)}`;
  }
  return `${prefix}ExitCode:${int(terminated.exitCode)}`;
}

function podRow(pod: KubeObject, now: number): RowCells {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  const conditions = list(status.conditions).map(obj);
  for (const condition of conditions) {
    if (
      condition.type === 'PodScheduled' &&
      condition.reason === 'SchedulingGated'
    ) {
      reason = 'SchedulingGated';
    }
  }

  const initContainers = new Map<string, Json>();
  let total = list(spec.containers).length;
  for (const raw of list(spec.initContainers)) {
    const container = obj(raw);
    initContainers.set(str(container.name), container);
    if (isRestartable(container)) total++;
  }

  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  let initializing = false;
  const initStatuses = list(status.initContainerStatuses).map(obj);
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const finishedAt = at(container, 'lastState', 'terminated', 'finishedAt');
    restarts += int(container.restartCount);
    lastRestart = later(lastRestart, finishedAt);
    const sidecar = isRestartable(initContainers.get(str(container.name)));
    if (sidecar) {
      sidecarRestarts += int(container.restartCount);
      lastSidecarRestart = later(lastSidecarRestart, finishedAt);
    }
    const state = obj(container.state);
    const terminated = state.terminated ? obj(state.terminated) : undefined;
    const waiting = state.waiting ? obj(state.waiting) : undefined;
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (sidecar && container.started === true) {
      if (container.ready === true) ready++;
      continue;
    }
    if (terminated) {
      reason = terminatedReason(terminated, 'Init:');
    } else if (
      waiting &&
      str(waiting.reason) &&
      waiting.reason !== 'PodInitializing'
    ) {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${list(spec.initContainers).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasTrueCondition(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(status.containerStatuses).map(obj);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      restarts += int(container.restartCount);
      lastRestart = later(
        lastRestart,
        at(container, 'lastState', 'terminated', 'finishedAt'),
      );
      const state = obj(container.state);
      const waiting = obj(state.waiting);
      const terminated = state.terminated ? obj(state.terminated) : undefined;
      if (str(waiting.reason)) reason = str(waiting.reason);
      else if (terminated) reason = terminatedReason(terminated, '');
      else if (container.ready === true && state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = hasTrueCondition(conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = Boolean(pod.metadata.deletionTimestamp);
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart) {
    restartsText = `${restarts} (${translateTimestampSince(
      lastRestart,
      now,
    )} ago)`;
  }

  const podIPs = list(status.podIPs).map(obj);
  const podIP = str(podIPs[0]?.ip) || str(status.podIP) || '<none>';
  const gates = list(spec.readinessGates).map(obj);
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const passed = gates.filter(gate => {
      const condition = conditions.find(c => c.type === gate.conditionType);
      return condition?.status === 'True';
    }).length;
    readinessGates = `${passed}/${gates.length}`;
  }

  let rowConditions: TableRowCondition[] | undefined;
  if (phase === 'Succeeded') rowConditions = SUCCEEDED;
  if (phase === 'Failed') rowConditions = FAILED;
  return {
    cells: [
      pod.metadata.name ?? '',
      `${ready}/${total}`,
      reason,
      restartsText,
      translateTimestampSince(pod.metadata.creationTimestamp, now),
      podIP,
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates,
    ],
    ...(rowConditions ? { conditions: rowConditions } : {}),
  };
}

export const podTable: TableConvertor = { columns: COLUMNS, row: podRow };

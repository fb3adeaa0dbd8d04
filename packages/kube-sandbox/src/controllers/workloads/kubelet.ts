import { kubeTimestamp } from '../../apply/trackedFields';
import { isUnreachableStorageUri } from '../../faults/storageUriFailures';
import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { Json, specOf } from '../controllerKit';
import {
  STORAGE_INITIALIZER,
  storageInitializerFailureLog,
  storageInitializerUri,
} from '../kserve/storageInitializer';

/**
 * The sandbox's instant kubelet: the status a Pod is reported with as soon as it exists, as the
 * kubelet of Kubernetes v1.32 would write it once the Pod has settled (pkg/kubelet/kubelet_pods.go
 * `generateAPIPodStatus`, `convertToAPIContainerStatuses`: app containers wait in
 * `PodInitializing` behind init containers; pkg/kubelet/status/generate.go for the Pod's
 * conditions and their `containers with incomplete status: [...]` / `containers with unready
 * status: [...]` messages; pkg/kubelet/kuberuntime back-off message `back-off <d> restarting
 * failed container=<c> pod=<name>_<namespace>(<uid>)`). Nothing runs, so the outcome is decided
 * up front:
 *
 * - a Pod whose storage-initializer downloads from a storage URI the sandbox treats as unreachable
 *   (faults/storageUriFailures.ts) is stuck initializing: phase `Pending`, the init container
 *   exited 1 (`lastState.terminated`, reason `Error`, its log tail as the message, as
 *   `FallbackToLogsOnError` keeps it) and waits in `CrashLoopBackOff` after one restart, the
 *   containers wait in `PodInitializing`, and `Initialized`, `ContainersReady` and `Ready` are
 *   False with the kubelet's reasons and messages;
 * - any other Pod is `Running` and Ready, its init containers `Completed` (exit code 0).
 *
 * Not simulated: probes, restarts over time (the restart count stays at 1 and the back-off at
 * 10s), image pulls, resource limits, container IDs and image digests.
 */

const listOf = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter(isPlainObject) : [];

function condition(
  type: string,
  status: boolean,
  now: string,
  reason?: string,
  message?: string,
) {
  return {
    type,
    status: status ? 'True' : 'False',
    lastTransitionTime: now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

const octet = () => Math.floor(Math.random() * 254) + 1;

/** Whether the kubelet would report the Pod Ready (the `Ready` condition is True). */
export function isPodReady(pod: KubeObject): boolean {
  const status = isPlainObject(pod.status) ? pod.status : {};
  return listOf(status.conditions).some(
    c => c.type === 'Ready' && c.status === 'True',
  );
}

/** The status the kubelet reports for a Pod bound to the sandbox's node. */
export function kubeletPodStatus(pod: KubeObject, at = new Date()): Json {
  const now = kubeTimestamp(at);
  const containers = listOf(specOf(pod).containers);
  const initContainers = listOf(specOf(pod).initContainers);
  const uri = storageInitializerUri(pod);
  const failing = uri !== undefined && isUnreachableStorageUri(uri);
  const common = {
    hostIP: '10.0.0.1',
    podIP: `10.244.${octet()}.${octet()}`,
    startTime: now,
  };
  const completed = (c: Json) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready: true,
    started: false,
    restartCount: 0,
    state: {
      terminated: {
        exitCode: 0,
        reason: 'Completed',
        startedAt: now,
        finishedAt: now,
      },
    },
  });
  if (!failing) {
    return {
      phase: 'Running',
      conditions: [
        condition('PodReadyToStartContainers', true, now),
        condition('Initialized', true, now),
        condition('Ready', true, now),
        condition('ContainersReady', true, now),
        condition('PodScheduled', true, now),
      ],
      ...common,
      ...(initContainers.length > 0
        ? { initContainerStatuses: initContainers.map(completed) }
        : {}),
      containerStatuses: containers.map(c => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
      })),
    };
  }
  const failingIndex = initContainers.findIndex(
    c => c.name === STORAGE_INITIALIZER,
  );
  const { name, namespace, uid } = pod.metadata;
  const unready = `containers with unready status: [${containers
    .map(c => c.name)
    .join(' ')}]`;
  return {
    phase: 'Pending',
    conditions: [
      condition('PodReadyToStartContainers', true, now),
      condition(
        'Initialized',
        false,
        now,
        'ContainersNotInitialized',
        `containers with incomplete status: [${initContainers
          .slice(failingIndex)
          .map(c => c.name)
          .join(' ')}]`,
      ),
      condition('Ready', false, now, 'ContainersNotReady', unready),
      condition('ContainersReady', false, now, 'ContainersNotReady', unready),
      condition('PodScheduled', true, now),
    ],
    ...common,
    initContainerStatuses: initContainers.map((c, i) => {
      if (i < failingIndex) return completed(c);
      const waiting = {
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
      };
      if (i > failingIndex) {
        return {
          ...waiting,
          started: false,
          restartCount: 0,
          state: { waiting: { reason: 'PodInitializing' } },
        };
      }
      return {
        ...waiting,
        started: false,
        restartCount: 1,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off 10s restarting failed container=${c.name} pod=${name}_${namespace}(${uid})`,
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            message: storageInitializerFailureLog(uri!, at),
            startedAt: now,
            finishedAt: now,
          },
        },
      };
    }),
    containerStatuses: containers.map(c => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'PodInitializing' } },
    })),
  };
}

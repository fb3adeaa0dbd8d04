import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { Json, objectOf, specOf, statusOf } from '../controllerKit';
import { isPodReady } from '../workloads/kubelet';
import {
  conditionOf,
  happyCondition,
  KnativeCondition,
  knativeCondition,
  sortedByType,
} from './knativeConditions';

/**
 * A Revision's status from its Deployment and Pods, re-expressed from knative/serving
 * knative-v1.23.0 pkg/reconciler/revision/reconcile_resources.go (`reconcileDeployment`,
 * `hasDeploymentTimedOut`), pkg/apis/serving/v1/revision_lifecycle.go
 * (`PropagateDeploymentStatus`, `PropagateAutoscalerStatus`, `ExitCodeReason`,
 * `RevisionContainerExitingMessage`) and pkg/apis/serving/k8s_lifecycle.go
 * (`TransformDeploymentStatus`), with the PodAutoscaler the sandbox does not serve stood in for
 * by the revision's ready Pods (pkg/reconciler/autoscaling/kpa/kpa.go `computeActiveCondition`):
 *
 * - `ResourcesAvailable`: from the Deployment's `Progressing` condition (True, or False with its
 *   reason and message, e.g. `ProgressDeadlineExceeded`); then, while pods are wanted but none is
 *   available, from the first Pod: a container that has terminated makes `ContainerHealthy` False
 *   (`ExitCode<n>`, `Container failed with: <message>`), a waiting one, once the Deployment has
 *   passed its progress deadline, makes `ResourcesAvailable` False with the waiting reason and
 *   message (for a failing init container the containers wait in `PodInitializing`, with no
 *   message: Knative reads `containerStatuses`, not `initContainerStatuses`); until the
 *   autoscaler has seen the revision's pods ready once it stays Unknown (`Deploying`);
 * - `ContainerHealthy`: True once a pod is ready, else Unknown (`Deploying`) unless failed above;
 * - `Active` (severity Info, not part of Ready): True with ready pods, Unknown `Queued` while
 *   pods are wanted but not ready, False `NoTraffic` when scaled to zero;
 * - `Ready` from `ResourcesAvailable` and `ContainerHealthy`; `actualReplicas` (ready pods) and
 *   `desiredReplicas` (the Deployment's replicas).
 *
 * Not simulated: image digest resolution (`containerStatuses`), unschedulable pods, the
 * autoscaler's own timeout (`TimedOut`, scaling a revision that never activated to zero).
 */

const QUEUE_PROXY = 'queue-proxy';

const listOf = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter(isPlainObject) : [];

function deploymentTimedOut(deployment: KubeObject): boolean {
  return listOf(statusOf(deployment).conditions).some(
    c =>
      c.type === 'Progressing' &&
      c.status === 'False' &&
      c.reason === 'ProgressDeadlineExceeded',
  );
}

/** The pods a revision's Deployment selects (`serving.knative.dev/revisionUID`), sorted by name as the API lists them. */
export function revisionPods(
  revision: KubeObject,
  pods: KubeObject[],
): KubeObject[] {
  const uid = revision.metadata.uid;
  return pods.filter(
    p =>
      p.metadata.labels?.['serving.knative.dev/revisionUID'] === uid &&
      !p.metadata.deletionTimestamp,
  );
}

export function revisionStatus(
  revision: KubeObject,
  deployment: KubeObject | undefined,
  pods: KubeObject[],
): Json {
  const stored = statusOf(revision);
  const keep = (type: string, fallback: KnativeCondition) =>
    conditionOf(stored, type) ?? fallback;
  let resources = keep(
    'ResourcesAvailable',
    knativeCondition('ResourcesAvailable', 'Unknown', 'Deploying'),
  );
  let healthy = keep(
    'ContainerHealthy',
    knativeCondition('ContainerHealthy', 'Unknown', 'Deploying'),
  );
  let active = keep(
    'Active',
    knativeCondition('Active', 'Unknown', 'Deploying', undefined, 'Info'),
  );
  let actual: number | undefined;
  let desired: number | undefined;
  if (deployment) {
    const status = statusOf(deployment);
    const progressing = listOf(status.conditions).find(
      c => c.type === 'Progressing',
    );
    if (progressing?.status === 'True') {
      resources = knativeCondition('ResourcesAvailable', 'True');
    } else if (progressing?.status === 'False') {
      resources = knativeCondition(
        'ResourcesAvailable',
        'False',
        String(progressing.reason ?? ''),
        String(progressing.message ?? ''),
      );
    } else {
      resources = knativeCondition(
        'ResourcesAvailable',
        'Unknown',
        'Deploying',
      );
    }
    const wanted = Number(specOf(deployment).replicas ?? 1);
    const available = Number(status.availableReplicas) || 0;
    const ready = pods.filter(isPodReady).length;
    if (wanted > 0 && available === 0 && pods.length > 0) {
      for (const container of listOf(
        objectOf(pods[0].status).containerStatuses,
      )) {
        if (container.name === QUEUE_PROXY) continue;
        const terminated = objectOf(objectOf(container.lastState).terminated);
        const waiting = objectOf(objectOf(container.state).waiting);
        if (Object.keys(terminated).length > 0) {
          const code = Number(terminated.exitCode) || 0;
          const message =
            code === 0 && !terminated.message
              ? 'container exited with no error'
              : String(terminated.message ?? '');
          healthy = knativeCondition(
            'ContainerHealthy',
            'False',
            `ExitCode${code}`,
            `Container failed with: ${message}`,
          );
          break;
        } else if (
          Object.keys(waiting).length > 0 &&
          deploymentTimedOut(deployment)
        ) {
          resources = knativeCondition(
            'ResourcesAvailable',
            'False',
            String(waiting.reason ?? ''),
            typeof waiting.message === 'string' ? waiting.message : undefined,
          );
          break;
        }
      }
    }
    if ((Number(status.readyReplicas) || 0) > 0) {
      healthy = knativeCondition('ContainerHealthy', 'True');
    }
    // PropagateAutoscalerStatus, with the PodAutoscaler's state read off the pods: its scale
    // target is initialized once the revision's pods were ready (it stays so when scaled to zero).
    const unavailable =
      resources.status === 'False' || healthy.status === 'False';
    const initialized =
      ready > 0 || conditionOf(stored, 'ResourcesAvailable')?.status === 'True';
    if (initialized && !unavailable) {
      resources = knativeCondition('ResourcesAvailable', 'True');
      healthy = knativeCondition('ContainerHealthy', 'True');
    }
    if (resources.status === 'True' && !initialized) {
      resources = knativeCondition(
        'ResourcesAvailable',
        'Unknown',
        'Deploying',
      );
    }
    if (wanted === 0) {
      active = knativeCondition(
        'Active',
        'False',
        'NoTraffic',
        'The target is not receiving traffic.',
        'Info',
      );
    } else if (ready > 0) {
      active = knativeCondition('Active', 'True', undefined, undefined, 'Info');
    } else {
      active = knativeCondition(
        'Active',
        'Unknown',
        'Queued',
        'Requests to the target are being buffered as resources are provisioned.',
        'Info',
      );
    }
    actual = ready;
    desired = wanted;
  }
  return {
    observedGeneration: revision.metadata.generation ?? 1,
    conditions: sortedByType([
      active,
      healthy,
      resources,
      happyCondition('Ready', [resources, healthy]),
    ]),
    ...(actual !== undefined ? { actualReplicas: actual } : {}),
    ...(desired !== undefined ? { desiredReplicas: desired } : {}),
  };
}

import { kubeTimestamp } from '../../apply/trackedFields';
import { KubeObject } from '../../store/types';
import { ControllerClient } from '../controllerClient';
import {
  Json,
  objectOf,
  reconcileLiveObject,
  specOf,
  statusOf,
} from '../controllerKit';
import { controllerReference, isControlledBy } from '../ownerReferences';
import { ObjectKey } from '../reconcileQueue';
import {
  queuedController,
  SimulatedController,
  watchObjectsAndChildren,
} from '../simulatedController';
import { podTemplateHash } from './podTemplateHash';

const APPS = 'apps/v1';
const DEPLOYMENTS = 'deployments.apps';
const REPLICA_SETS = 'replicasets.apps';
const HASH_LABEL = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
/** Reasons of the Progressing condition (k8s pkg/controller/deployment/util/deployment_util.go). */
const REASON = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
};

export const replicasOf = (object: KubeObject): number =>
  typeof specOf(object).replicas === 'number'
    ? (specOf(object).replicas as number)
    : 1;

const count = (object: KubeObject, field: string) =>
  Number(statusOf(object)[field]) || 0;
const sumOf = (sets: KubeObject[], read: (rs: KubeObject) => number) =>
  sets.reduce((total, rs) => total + read(rs), 0);

/** `intstr.GetScaledValueFromIntOrPercent`: an int, or a percentage of `total` rounded up or down. */
function scaled(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(String(value ?? '25%'));
  const percent = match ? Number(match[1]) : 25;
  const exact = (percent * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * `maxSurge` and `maxUnavailable` of a RollingUpdate Deployment (`ResolveFenceposts`, `MaxSurge`,
 * `MaxUnavailable`: 25% each by default, surge rounded up, unavailability down, at least one of
 * them non-zero, unavailability at most the replicas; both 0 for Recreate).
 */
function fenceposts(deployment: KubeObject) {
  const replicas = replicasOf(deployment);
  const strategy = objectOf(specOf(deployment).strategy);
  if (strategy.type === 'Recreate') return { surge: 0, unavailable: 0 };
  const rolling = objectOf(strategy.rollingUpdate);
  const surge = scaled(rolling.maxSurge, replicas, true);
  let unavailable = scaled(rolling.maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return {
    surge,
    unavailable: replicas === 0 ? 0 : Math.min(unavailable, replicas),
  };
}

interface DeploymentCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
}

const conditionsOf = (status: Json): DeploymentCondition[] =>
  Array.isArray(status.conditions)
    ? (status.conditions as DeploymentCondition[])
    : [];
const conditionIn = (status: Json, type: string) =>
  conditionsOf(status).find(c => c.type === type);

function newCondition(
  type: string,
  status: boolean,
  reason: string,
  message: string,
): DeploymentCondition {
  const now = kubeTimestamp();
  return {
    type,
    status: status ? 'True' : 'False',
    reason,
    message,
    lastUpdateTime: now,
    lastTransitionTime: now,
  };
}

/**
 * `SetDeploymentCondition`: a condition with the same status and reason is left as it is; one with
 * the same status keeps its transition time; the new one goes at the end.
 */
function setCondition(status: Json, condition: DeploymentCondition) {
  const current = conditionIn(status, condition.type);
  if (
    current &&
    current.status === condition.status &&
    current.reason === condition.reason
  ) {
    return;
  }
  const next =
    current && current.status === condition.status
      ? { ...condition, lastTransitionTime: current.lastTransitionTime }
      : condition;
  status.conditions = [
    ...conditionsOf(status).filter(c => c.type !== condition.type),
    next,
  ];
}

function removeCondition(status: Json, type: string) {
  status.conditions = conditionsOf(status).filter(c => c.type !== type);
}

function withReplicas(
  rs: KubeObject,
  replicas: number,
  deployment: KubeObject,
  surge: number,
): KubeObject {
  const desired = replicasOf(deployment);
  return {
    ...rs,
    metadata: {
      ...rs.metadata,
      annotations: {
        ...rs.metadata.annotations,
        [DESIRED_REPLICAS]: String(desired),
        [MAX_REPLICAS]: String(desired + surge),
      },
    },
    spec: { ...specOf(rs), replicas },
  };
}

/** A ReplicaSet for the Deployment's current template (k8s pkg/controller/deployment/sync.go `getNewReplicaSet`). */
function newReplicaSet(
  deployment: KubeObject,
  hash: string,
  revision: number,
  replicas: number,
  surge: number,
): KubeObject {
  const spec = specOf(deployment);
  const template = objectOf(spec.template);
  const templateMeta = objectOf(template.metadata);
  const selector = objectOf(spec.selector);
  const matchLabels = objectOf(selector.matchLabels);
  const labels = { ...(templateMeta.labels as Json), [HASH_LABEL]: hash };
  const desired = replicasOf(deployment);
  return {
    apiVersion: APPS,
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      labels: labels as Record<string, string>,
      annotations: {
        [DESIRED_REPLICAS]: String(desired),
        [MAX_REPLICAS]: String(desired + surge),
        [REVISION]: String(revision),
      },
      ownerReferences: [controllerReference(deployment)],
    },
    spec: {
      replicas,
      selector: {
        ...selector,
        matchLabels: { ...matchLabels, [HASH_LABEL]: hash },
      },
      template: { ...template, metadata: { ...templateMeta, labels } },
    },
  };
}

/** `NewRSNewReplicas`: how far the new ReplicaSet may grow within `replicas + maxSurge` pods. */
function newReplicaSetReplicas(
  deployment: KubeObject,
  all: KubeObject[],
  current: number,
): number {
  const replicas = replicasOf(deployment);
  const { surge } = fenceposts(deployment);
  if (objectOf(specOf(deployment).strategy).type === 'Recreate')
    return replicas;
  const pods = sumOf(all, replicasOf);
  const maxTotal = replicas + surge;
  if (pods >= maxTotal) return current;
  return current + Math.min(maxTotal - pods, replicas - current);
}

/** `calculateStatus` (sync.go): counts summed over the ReplicaSets, and the Available condition. */
function calculateStatus(
  deployment: KubeObject,
  all: KubeObject[],
  current: KubeObject,
  base: Json,
): Json {
  const available = sumOf(all, rs => count(rs, 'availableReplicas'));
  const total = sumOf(all, replicasOf);
  const omitZero = (key: string, value: number) =>
    value > 0 ? { [key]: value } : {};
  const status: Json = {
    observedGeneration: deployment.metadata.generation,
    ...omitZero(
      'replicas',
      sumOf(all, rs => count(rs, 'replicas')),
    ),
    ...omitZero('updatedReplicas', count(current, 'replicas')),
    ...omitZero(
      'readyReplicas',
      sumOf(all, rs => count(rs, 'readyReplicas')),
    ),
    ...omitZero('availableReplicas', available),
    ...omitZero('unavailableReplicas', Math.max(total - available, 0)),
    conditions: conditionsOf(base),
  };
  const { unavailable } = fenceposts(deployment);
  setCondition(
    status,
    available >= replicasOf(deployment) - unavailable
      ? newCondition(
          'Available',
          true,
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
        )
      : newCondition(
          'Available',
          false,
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        ),
  );
  return status;
}

/**
 * `progressDeadlineSeconds`, which the API server defaults to 600 for apps/v1 (the sandbox does not
 * default it, so an unset one means 600 here); `HasProgressDeadline` is false only for MaxInt32.
 */
const progressDeadlineOf = (deployment: KubeObject): number | undefined => {
  const seconds = specOf(deployment).progressDeadlineSeconds;
  if (seconds === 2147483647) return undefined;
  return typeof seconds === 'number' ? seconds : 600;
};

/** `DeploymentComplete`: all replicas updated and available, nothing old left, generation observed. */
function isComplete(deployment: KubeObject, status: Json): boolean {
  const replicas = replicasOf(deployment);
  const n = (key: string) => Number(status[key]) || 0;
  return (
    n('updatedReplicas') === replicas &&
    n('replicas') === replicas &&
    n('availableReplicas') === replicas &&
    n('observedGeneration') >= (deployment.metadata.generation ?? 0)
  );
}

/** `DeploymentProgressing`: more pods updated, ready or available, or fewer old ones, than last time. */
function isProgressing(old: Json, next: Json): boolean {
  const n = (status: Json, key: string) => Number(status[key]) || 0;
  const oldPods = (status: Json) =>
    n(status, 'replicas') - n(status, 'updatedReplicas');
  return (
    n(next, 'updatedReplicas') > n(old, 'updatedReplicas') ||
    oldPods(next) < oldPods(old) ||
    n(next, 'readyReplicas') > n(old, 'readyReplicas') ||
    n(next, 'availableReplicas') > n(old, 'availableReplicas')
  );
}

/**
 * Kubernetes' Deployment controller (k8s pkg/controller/deployment as of v1.32, the version the
 * sandbox reports: `sync.go` `getNewReplicaSet`, `calculateStatus`; `rolling.go`
 * `rolloutRolling`, `reconcileNewReplicaSet`, `reconcileOldReplicaSets`; `progress.go`
 * `syncRolloutStatus`, `requeueStuckDeployment`; `util/deployment_util.go`. The v1.32 tree is too
 * large to fetch here: progress.go was read on a stored recent copy of kubernetes/kubernetes,
 * rolling.go on an older one whose scaling rules are the same, the rest from the published
 * sources): the ReplicaSet
 * `<deployment>-<pod-template-hash>` for the current pod template, labelled and selected by
 * `pod-template-hash`, owned by the Deployment. A RollingUpdate (the default, 25% surge and 25%
 * unavailable) grows the new ReplicaSet within `replicas + maxSurge` pods and shrinks the old ones
 * (oldest first, their unavailable pods first) only as far as `replicas - maxUnavailable` pods stay
 * available, so while the new pods never become Ready the old ones keep serving; Recreate replaces
 * them at once. Old ReplicaSets are kept at 0. The status sums the ReplicaSets' counts, with
 * `Available` (minimum availability: `replicas - maxUnavailable`) and `Progressing`
 * (`NewReplicaSetCreated`, `FoundNewReplicaSet`, `ReplicaSetUpdated` while pods progress,
 * `NewReplicaSetAvailable` once complete, and False `ProgressDeadlineExceeded` when
 * `progressDeadlineSeconds`, default 600, pass without progress: the Deployment is queued again
 * for that moment). Not simulated: pausing, `minReadySeconds`, revision history cleanup, rollback,
 * collision counts, ReplicaFailure conditions.
 */
export function startDeploymentController(
  client: ControllerClient,
  log: (line: string) => void,
): SimulatedController {
  let requeue: (key: ObjectKey, delayMs: number) => void = () => {};

  const reconcileDeployment = (deployment: KubeObject, key: ObjectKey) => {
    const { namespace } = deployment.metadata;
    const uid = deployment.metadata.uid!;
    const listOwned = () =>
      client
        .list(APPS, 'ReplicaSet', namespace)
        .filter(rs => isControlledBy(rs, uid))
        .sort((a, b) =>
          (a.metadata.creationTimestamp ?? '').localeCompare(
            b.metadata.creationTimestamp ?? '',
          ),
        );
    const owned = listOwned();
    const hash = podTemplateHash(specOf(deployment).template);
    const { surge, unavailable } = fenceposts(deployment);
    const replicas = replicasOf(deployment);
    const stored = statusOf(deployment);
    // What the status would say before this sync's counts: the stored one, plus the condition
    // getNewReplicaSet writes when it creates or first finds the new ReplicaSet.
    const base: Json = { ...stored, conditions: conditionsOf(stored) };
    let current = owned.find(rs => rs.metadata.labels?.[HASH_LABEL] === hash);
    const deadline = progressDeadlineOf(deployment);
    if (!current) {
      const revision =
        Math.max(
          0,
          ...owned.map(rs => Number(rs.metadata.annotations?.[REVISION]) || 0),
        ) + 1;
      current = client.create(
        newReplicaSet(
          deployment,
          hash,
          revision,
          newReplicaSetReplicas(deployment, owned, 0),
          surge,
        ),
      );
      if (deadline !== undefined) {
        setCondition(
          base,
          newCondition(
            'Progressing',
            true,
            REASON.newRSCreated,
            `Created new replica set "${current.metadata.name}"`,
          ),
        );
      }
    } else if (deadline !== undefined && !conditionIn(base, 'Progressing')) {
      setCondition(
        base,
        newCondition(
          'Progressing',
          true,
          REASON.foundNewRS,
          `Found new replica set "${current.metadata.name}"`,
        ),
      );
    }
    const scale = (rs: KubeObject, to: number) =>
      client.update(withReplicas(rs, to, deployment, surge));

    const others = () =>
      listOwned().filter(rs => rs.metadata.uid !== current!.metadata.uid);
    if (objectOf(specOf(deployment).strategy).type === 'Recreate') {
      for (const old of others()) if (replicasOf(old) !== 0) scale(old, 0);
      if (replicasOf(current) !== replicas) current = scale(current, replicas);
    } else {
      // reconcileNewReplicaSet
      let scaledUp = false;
      if (replicasOf(current) > replicas) {
        current = scale(current, replicas);
        scaledUp = true;
      } else if (replicasOf(current) < replicas) {
        const wanted = newReplicaSetReplicas(
          deployment,
          listOwned(),
          replicasOf(current),
        );
        if (wanted !== replicasOf(current)) {
          current = scale(current, wanted);
          scaledUp = true;
        }
      }
      // reconcileOldReplicaSets
      const old = others();
      if (!scaledUp && sumOf(old, replicasOf) > 0) {
        const all = [...old, current];
        const minAvailable = replicas - unavailable;
        const newUnavailable =
          replicasOf(current) - count(current, 'availableReplicas');
        const maxScaledDown =
          sumOf(all, replicasOf) - minAvailable - newUnavailable;
        if (maxScaledDown > 0) {
          // cleanupUnhealthyReplicas
          let cleaned = 0;
          for (const [i, rs] of old.entries()) {
            if (cleaned >= maxScaledDown) break;
            const unhealthy = replicasOf(rs) - count(rs, 'availableReplicas');
            if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
            const down = Math.min(maxScaledDown - cleaned, unhealthy);
            old[i] = scale(rs, replicasOf(rs) - down);
            cleaned += down;
          }
          // scaleDownOldReplicaSetsForRollingUpdate
          const available = sumOf([...old, current], rs =>
            count(rs, 'availableReplicas'),
          );
          let toScaleDown = available - minAvailable;
          for (const rs of old) {
            if (toScaleDown <= 0) break;
            if (replicasOf(rs) === 0) continue;
            const down = Math.min(replicasOf(rs), toScaleDown);
            scale(rs, replicasOf(rs) - down);
            toScaleDown -= down;
          }
        }
      }
    }

    // syncRolloutStatus
    const status = calculateStatus(deployment, listOwned(), current, base);
    if (deadline === undefined) removeCondition(status, 'Progressing');
    const progressing = conditionIn(base, 'Progressing');
    const completeBefore =
      (Number(status.replicas) || 0) ===
        (Number(status.updatedReplicas) || 0) &&
      progressing?.reason === REASON.newRSAvailable;
    const currentName = current.metadata.name;
    if (deadline !== undefined && !completeBefore) {
      if (isComplete(deployment, status)) {
        setCondition(
          status,
          newCondition(
            'Progressing',
            true,
            REASON.newRSAvailable,
            `ReplicaSet "${currentName}" has successfully progressed.`,
          ),
        );
      } else if (isProgressing(stored, status)) {
        const next = newCondition(
          'Progressing',
          true,
          REASON.replicaSetUpdated,
          `ReplicaSet "${currentName}" is progressing.`,
        );
        if (progressing?.status === 'True') {
          next.lastTransitionTime = progressing.lastTransitionTime;
        }
        removeCondition(status, 'Progressing');
        setCondition(status, next);
      } else if (
        progressing &&
        progressing.reason !== REASON.newRSAvailable &&
        (progressing.reason === REASON.timedOut ||
          Date.parse(progressing.lastUpdateTime) + deadline * 1000 < Date.now())
      ) {
        setCondition(
          status,
          newCondition(
            'Progressing',
            false,
            REASON.timedOut,
            `ReplicaSet "${currentName}" has timed out progressing.`,
          ),
        );
      }
    }
    if (JSON.stringify(status) !== JSON.stringify(stored)) {
      client.updateStatus({ ...deployment, status });
      return;
    }
    // requeueStuckDeployment: come back when the deadline passes.
    const cond = conditionIn(status, 'Progressing');
    if (
      deadline !== undefined &&
      cond &&
      cond.reason !== REASON.timedOut &&
      !isComplete(deployment, status)
    ) {
      const after =
        Date.parse(cond.lastUpdateTime) + deadline * 1000 - Date.now();
      requeue(key, after < 1000 ? 250 : after + 1000);
    }
  };
  const controller = queuedController(
    'deployment',
    0,
    log,
    reconcileLiveObject(client, APPS, 'Deployment', reconcileDeployment),
    // Any change of an owned ReplicaSet, status included, updates the Deployment's status.
    watchObjectsAndChildren(
      DEPLOYMENTS,
      'Deployment',
      REPLICA_SETS,
      () => true,
    ),
  );
  requeue = (key, delayMs) => controller.enqueue(key, delayMs);
  return controller;
}

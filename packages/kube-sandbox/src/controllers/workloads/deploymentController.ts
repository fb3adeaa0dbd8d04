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

export const replicasOf = (object: KubeObject): number =>
  typeof specOf(object).replicas === 'number'
    ? (specOf(object).replicas as number)
    : 1;

/** The default `maxSurge` of a rolling update, 25% rounded up. */
const maxSurge = (replicas: number) => Math.ceil(replicas * 0.25);

/** A ReplicaSet for the Deployment's current template (k8s pkg/controller/deployment/sync.go `getNewReplicaSet`). */
function newReplicaSet(
  deployment: KubeObject,
  hash: string,
  revision: number,
): KubeObject {
  const spec = specOf(deployment);
  const template = objectOf(spec.template);
  const templateMeta = objectOf(template.metadata);
  const selector = objectOf(spec.selector);
  const matchLabels = objectOf(selector.matchLabels);
  const labels = { ...(templateMeta.labels as Json), [HASH_LABEL]: hash };
  const replicas = replicasOf(deployment);
  return {
    apiVersion: APPS,
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace,
      labels: labels as Record<string, string>,
      annotations: {
        [DESIRED_REPLICAS]: String(replicas),
        [MAX_REPLICAS]: String(replicas + maxSurge(replicas)),
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

function deploymentStatus(
  deployment: KubeObject,
  current: KubeObject | undefined,
  all: KubeObject[],
): Json {
  const sum = (field: string, sets: KubeObject[]) =>
    sets.reduce((total, rs) => total + (Number(statusOf(rs)[field]) || 0), 0);
  const replicas = replicasOf(deployment);
  const available = sum('availableReplicas', all);
  const now = kubeTimestamp();
  const name = current?.metadata.name;
  return {
    observedGeneration: deployment.metadata.generation,
    replicas: sum('replicas', all),
    updatedReplicas: current ? sum('replicas', [current]) : 0,
    readyReplicas: sum('readyReplicas', all),
    availableReplicas: available,
    ...(replicas - available > 0
      ? { unavailableReplicas: replicas - available }
      : {}),
    conditions: [
      available >= replicas
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: now,
            lastTransitionTime: now,
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
            lastUpdateTime: now,
            lastTransitionTime: now,
          },
      {
        type: 'Progressing',
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        message: `ReplicaSet "${name}" has successfully progressed.`,
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
    ],
  };
}

function countsDiffer(a: Json, b: Json): boolean {
  const counts = (status: Json) =>
    JSON.stringify({ ...status, conditions: undefined });
  return counts(a) !== counts(b);
}

/**
 * Kubernetes' Deployment controller, reduced to what the sandbox needs (k8s
 * pkg/controller/deployment): the ReplicaSet `<deployment>-<pod-template-hash>` for the current
 * pod template, labelled and selected by `pod-template-hash`, owned by the Deployment, scaled to
 * `spec.replicas` (default 1) at once, older ReplicaSets scaled to 0 and kept; the Deployment's
 * status summed from its ReplicaSets. There are no rollout steps, pauses or deadlines.
 */
export function startDeploymentController(
  client: ControllerClient,
  log: (line: string) => void,
): SimulatedController {
  const reconcileDeployment = (deployment: KubeObject) => {
    const { namespace } = deployment.metadata;
    const uid = deployment.metadata.uid!;
    const owned = client
      .list(APPS, 'ReplicaSet', namespace)
      .filter(rs => isControlledBy(rs, uid));
    const template = specOf(deployment).template;
    const hash = podTemplateHash(template);
    const revision =
      Math.max(
        0,
        ...owned.map(rs => Number(rs.metadata.annotations?.[REVISION]) || 0),
      ) + 1;
    let current = owned.find(rs => rs.metadata.labels?.[HASH_LABEL] === hash);
    const replicas = replicasOf(deployment);
    if (!current) {
      current = client.create(newReplicaSet(deployment, hash, revision));
    } else if (replicasOf(current) !== replicas) {
      current = client.update({
        ...current,
        metadata: {
          ...current.metadata,
          annotations: {
            ...current.metadata.annotations,
            [DESIRED_REPLICAS]: String(replicas),
          },
        },
        spec: { ...specOf(current), replicas },
      });
    }
    for (const old of owned.filter(
      rs => rs.metadata.uid !== current!.metadata.uid,
    )) {
      if (replicasOf(old) !== 0)
        client.update({ ...old, spec: { ...specOf(old), replicas: 0 } });
    }
    const sets = client
      .list(APPS, 'ReplicaSet', namespace)
      .filter(rs => isControlledBy(rs, uid));
    const status = deploymentStatus(deployment, current, sets);
    // Conditions carry fresh times: only the counts decide whether to write.
    if (countsDiffer(status, statusOf(deployment))) {
      client.updateStatus({ ...deployment, status });
    }
  };
  return queuedController(
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
}

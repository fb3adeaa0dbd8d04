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
import { replicasOf } from './deploymentController';

const REPLICA_SETS = 'replicasets.apps';
/** The one node pods are "scheduled" on. */
const NODE_NAME = 'kube-sandbox';

/** A new Pod from the template: `<replicaset>-<5 random characters>` (generateName), owned by the ReplicaSet. */
function podFor(replicaSet: KubeObject): KubeObject {
  const template = objectOf(specOf(replicaSet).template);
  const meta = objectOf(template.metadata);
  const spec = objectOf(template.spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${replicaSet.metadata.name}-`,
      namespace: replicaSet.metadata.namespace,
      ...(meta.labels ? { labels: meta.labels as Record<string, string> } : {}),
      ...(meta.annotations
        ? { annotations: meta.annotations as Record<string, string> }
        : {}),
      ownerReferences: [controllerReference(replicaSet)],
    },
    // Scheduling is immediate: the pod is bound to the sandbox's single node.
    spec: { ...spec, nodeName: NODE_NAME },
  };
}

/** The status of a running, ready Pod (the kubelet's report once its containers pass their probes). */
function runningStatus(pod: KubeObject): Json {
  const now = kubeTimestamp();
  const containers = Array.isArray(specOf(pod).containers)
    ? (specOf(pod).containers as Json[])
    : [];
  const ready = (type: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
  });
  const octet = () => Math.floor(Math.random() * 254) + 1;
  return {
    phase: 'Running',
    conditions: [
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
    ].map(ready),
    hostIP: '10.0.0.1',
    podIP: `10.244.${octet()}.${octet()}`,
    startTime: now,
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

/**
 * Kubernetes' ReplicaSet controller plus an instant kubelet (k8s pkg/controller/replicaset): the
 * ReplicaSet keeps `spec.replicas` Pods it owns, created from its template with
 * `generateName: <replicaset>-` and deleted newest first when there are too many; each new Pod
 * is bound to the sandbox's one node and reported Running and Ready straight away. Nothing runs.
 */
export function startReplicaSetController(
  client: ControllerClient,
  log: (line: string) => void,
): SimulatedController {
  const reconcileReplicaSet = (replicaSet: KubeObject) => {
    const uid = replicaSet.metadata.uid!;
    const pods = client
      .list('v1', 'Pod', replicaSet.metadata.namespace)
      .filter(
        pod => isControlledBy(pod, uid) && !pod.metadata.deletionTimestamp,
      )
      .sort((a, b) =>
        (a.metadata.creationTimestamp ?? '').localeCompare(
          b.metadata.creationTimestamp ?? '',
        ),
      );
    const wanted = replicasOf(replicaSet);
    for (let i = pods.length; i < wanted; i++) {
      const created = client.create(podFor(replicaSet));
      pods.push(
        client.updateStatus({ ...created, status: runningStatus(created) }),
      );
    }
    for (const extra of pods.splice(wanted).reverse()) client.delete(extra);
    const status = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: pods.length,
      availableReplicas: pods.length,
      observedGeneration: replicaSet.metadata.generation,
    };
    if (JSON.stringify(status) !== JSON.stringify(statusOf(replicaSet))) {
      client.updateStatus({ ...replicaSet, status });
    }
  };
  return queuedController(
    'replicaset',
    0,
    log,
    reconcileLiveObject(client, 'apps/v1', 'ReplicaSet', reconcileReplicaSet),
    // A pod that went is replaced.
    watchObjectsAndChildren(
      REPLICA_SETS,
      'ReplicaSet',
      'pods',
      event => event.type === 'DELETED',
    ),
  );
}

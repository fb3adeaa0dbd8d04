import { KubeObject } from '../../store/types';
import { ControllerClient } from '../controllerClient';
import {
  objectOf,
  reconcileLiveObject,
  specOf,
  statusOf,
} from '../controllerKit';
import { injectStorageInitializer } from '../kserve/storageInitializer';
import { controllerReference, isControlledBy } from '../ownerReferences';
import {
  queuedController,
  SimulatedController,
  watchObjectsAndChildren,
} from '../simulatedController';
import { replicasOf } from './deploymentController';
import { isPodReady, kubeletPodStatus } from './kubelet';

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

/**
 * Kubernetes' ReplicaSet controller plus an instant kubelet (k8s pkg/controller/replicaset): the
 * ReplicaSet keeps `spec.replicas` Pods it owns, created from its template with
 * `generateName: <replicaset>-` (admitted as KServe's pod webhook would, kserve/storageInitializer.ts)
 * and deleted when there are too many, not-ready ones first, then the newest
 * (`getPodsToDelete`, `ActivePodsWithRanks`); each new Pod is bound to the sandbox's one node and
 * given the status of kubelet.ts straight away. The status counts the Pods, the Ready ones as
 * ready and, with no `minReadySeconds`, as available (replica_set_utils.go `calculateStatus`).
 * Nothing runs.
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
      const created = client.create(
        injectStorageInitializer(podFor(replicaSet)),
      );
      pods.push(
        client.updateStatus({ ...created, status: kubeletPodStatus(created) }),
      );
    }
    // Ready pods are kept before not-ready ones, so the not-ready go first.
    pods.sort((a, b) => Number(isPodReady(b)) - Number(isPodReady(a)));
    for (const extra of pods.splice(wanted).reverse()) client.delete(extra);
    const ready = pods.filter(isPodReady).length;
    const status = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
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

import { KubeObject } from '../../store/types';
import {
  apply,
  eventually,
  remove,
  useControllerSandbox,
} from '../../testUtils/controllerTestKit';

const NS = 'serving';
const ISVC = 'serving.kserve.io/v1beta1';

const cluster = useControllerSandbox(NS);

function inferenceService(
  name: string,
  mode: string | undefined,
  predictor: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: ISVC,
    kind: 'InferenceService',
    metadata: {
      name,
      namespace: NS,
      labels: { 'inference.platform.io/tenant': 'tenant-a' },
      ...(mode
        ? { annotations: { 'serving.kserve.io/deploymentMode': mode } }
        : {}),
    },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'sklearn' },
          storageUri: 'gs://bucket/iris',
        },
        ...predictor,
      },
    },
  };
}

const ownedBy = (object: KubeObject | undefined, owner: KubeObject) =>
  object?.metadata.ownerReferences?.some(
    (ref: any) => ref.uid === owner.metadata.uid && ref.controller === true,
  );

/** The pods a ReplicaSet owns, once there are `count` of them. */
function podsOf(replicaSet: KubeObject, count: number) {
  return eventually(() => {
    const pods = cluster.list('v1', 'Pod').filter(p => ownedBy(p, replicaSet));
    return pods.length === count ? pods : undefined;
  });
}

describe('InferenceService workloads in Standard mode (KServe v0.20.0)', () => {
  let isvc: KubeObject;

  beforeAll(async () => {
    isvc = await apply(
      cluster.request,
      inferenceService('iris', 'Standard', { minReplicas: 2 }),
    );
  });

  it('creates the predictor ClusterIP Service as KServe sets it', async () => {
    const service = await eventually(() =>
      cluster.get('v1', 'Service', 'iris-predictor'),
    );
    expect(service.metadata.labels).toEqual({
      'inference.platform.io/tenant': 'tenant-a',
      'serving.kserve.io/inferenceservice': 'iris',
      component: 'predictor',
      app: 'isvc.iris-predictor',
    });
    expect(ownedBy(service, isvc)).toBe(true);
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      clusterIP: expect.stringMatching(/^10\.96\./),
      selector: { app: 'isvc.iris-predictor' },
      ports: [
        { name: 'iris-predictor', port: 80, targetPort: 8080, protocol: 'TCP' },
      ],
    });
  });

  it('creates the Deployment, its ReplicaSet and minReplicas Pods with their labels', async () => {
    const deployment = await eventually(() =>
      cluster.get('apps/v1', 'Deployment', 'iris-predictor'),
    );
    expect(ownedBy(deployment, isvc)).toBe(true);
    expect(deployment.metadata.annotations).toMatchObject({
      'serving.kserve.io/deploymentMode': 'Standard',
      'internal.serving.kserve.io/storage-initializer-sourceuri':
        'gs://bucket/iris',
    });
    expect(deployment.spec).toMatchObject({
      replicas: 2,
      selector: { matchLabels: { app: 'isvc.iris-predictor' } },
      template: { metadata: { labels: deployment.metadata.labels } },
    });
    const replicaSet = await eventually(() =>
      cluster.list('apps/v1', 'ReplicaSet').find(rs => ownedBy(rs, deployment)),
    );
    const hash = replicaSet.metadata.labels!['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(replicaSet.metadata.name).toBe(`iris-predictor-${hash}`);
    expect(replicaSet.metadata.labels).toEqual({
      ...deployment.metadata.labels,
      'pod-template-hash': hash,
    });
    const pods = await podsOf(replicaSet, 2);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(
        new RegExp(`^iris-predictor-${hash}-[a-z0-9]{5}$`),
      );
      expect(pod.metadata.labels).toMatchObject({
        app: 'isvc.iris-predictor',
        component: 'predictor',
        'serving.kserve.io/inferenceservice': 'iris',
        'pod-template-hash': hash,
      });
      expect(pod.metadata.ownerReferences).toEqual([
        expect.objectContaining({
          kind: 'ReplicaSet',
          uid: replicaSet.metadata.uid,
          controller: true,
        }),
      ]);
      expect(pod.status).toMatchObject({ phase: 'Running' });
      expect((pod.status as any).conditions).toContainEqual(
        expect.objectContaining({ type: 'Ready', status: 'True' }),
      );
      expect((pod.spec as any).containers[0]).toMatchObject({
        name: 'kserve-container',
        // The image of KServe's sklearn runtime (config/runtimes/kustomization.yaml).
        image: 'kserve/sklearnserver:latest',
        env: [{ name: 'INFERENCE_SERVICE_NAME', value: 'iris' }],
      });
    }
    const status = await eventually(() => {
      const s = cluster.get('apps/v1', 'Deployment', 'iris-predictor')
        ?.status as any;
      return s?.availableReplicas === 2 ? s : undefined;
    });
    expect(status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      updatedReplicas: 2,
    });
  });

  it('deploys in Standard mode without the annotation, with one pod by default', async () => {
    await apply(cluster.request, inferenceService('plain', undefined));
    const deployment = await eventually(() =>
      cluster.get('apps/v1', 'Deployment', 'plain-predictor'),
    );
    expect((deployment.spec as any).replicas).toBe(1);
    expect(cluster.get('v1', 'Service', 'plain-predictor')?.spec).toMatchObject(
      {
        type: 'ClusterIP',
      },
    );
    const status = await eventually(
      () => cluster.get(ISVC, 'InferenceService', 'plain')?.status as any,
    );
    expect(status.deploymentMode).toBe('Standard');
  });

  it('creates nothing for a predictor whose runtime KServe would not find', async () => {
    await apply(
      cluster.request,
      inferenceService('unknown', 'Standard', {
        model: { modelFormat: { name: 'cobol' } },
      }),
    );
    await eventually(
      () => cluster.get(ISVC, 'InferenceService', 'unknown')?.status,
    );
    expect(
      cluster.get('apps/v1', 'Deployment', 'unknown-predictor'),
    ).toBeUndefined();
    expect(cluster.get('v1', 'Service', 'unknown-predictor')).toBeUndefined();
  });

  it('removes Service, Deployment, ReplicaSet and Pods with the InferenceService', async () => {
    const deployment = await eventually(() =>
      cluster.get('apps/v1', 'Deployment', 'iris-predictor'),
    );
    const replicaSet = await eventually(() =>
      cluster.list('apps/v1', 'ReplicaSet').find(rs => ownedBy(rs, deployment)),
    );
    await podsOf(replicaSet, 2);
    await remove(cluster.request, isvc);
    const everythingGone = eventually(() =>
      cluster.get(ISVC, 'InferenceService', 'iris') ||
      cluster.get('v1', 'Service', 'iris-predictor') ||
      cluster.get('apps/v1', 'Deployment', 'iris-predictor') ||
      cluster.get('apps/v1', 'ReplicaSet', replicaSet.metadata.name!) ||
      cluster.list('v1', 'Pod').some(p => ownedBy(p, replicaSet))
        ? undefined
        : true,
    );
    await expect(everythingGone).resolves.toBe(true);
  });
});

describe('InferenceService workloads in Knative mode', () => {
  it('makes <isvc>-predictor an ExternalName Service to the Knative local gateway, and runs the revision', async () => {
    const isvc = await apply(
      cluster.request,
      inferenceService('knn', 'Knative', { minReplicas: 0 }),
    );
    const ksvc = await eventually(() =>
      cluster.get('serving.knative.dev/v1', 'Service', 'knn-predictor'),
    );
    expect(ownedBy(ksvc, isvc)).toBe(true);
    const predictor = await eventually(() =>
      cluster.get('v1', 'Service', 'knn-predictor'),
    );
    expect(predictor.spec).toEqual({
      type: 'ExternalName',
      externalName: 'knative-local-gateway.istio-system.svc.cluster.local',
      sessionAffinity: 'None',
      ports: [{ name: 'http2', port: 80, targetPort: 80, protocol: 'TCP' }],
    });
    expect(predictor.metadata.labels).toMatchObject({
      'serving.knative.dev/route': 'knn-predictor',
      'serving.kserve.io/inferenceservice': 'knn',
    });
    // KServe's own ExternalName Service carries the InferenceService's name and no ports.
    expect(cluster.get('v1', 'Service', 'knn')?.spec).toEqual({
      type: 'ExternalName',
      externalName: 'knative-local-gateway.istio-system.svc.cluster.local',
      sessionAffinity: 'None',
    });
    const revision = await eventually(() =>
      cluster.get('serving.knative.dev/v1', 'Revision', 'knn-predictor-00001'),
    );
    const deployment = await eventually(() =>
      cluster.get('apps/v1', 'Deployment', 'knn-predictor-00001-deployment'),
    );
    expect(ownedBy(deployment, revision)).toBe(true);
    expect(deployment.metadata.labels).toMatchObject({
      'serving.knative.dev/revision': 'knn-predictor-00001',
      'serving.knative.dev/revisionUID': revision.metadata.uid,
      'serving.knative.dev/service': 'knn-predictor',
      'serving.kserve.io/inferenceservice': 'knn',
      component: 'predictor',
      app: 'knn-predictor-00001',
    });
    const replicaSet = await eventually(() =>
      cluster.list('apps/v1', 'ReplicaSet').find(rs => ownedBy(rs, deployment)),
    );
    const [pod] = await podsOf(replicaSet, 1);
    expect(pod.metadata.labels).toMatchObject({
      'serving.knative.dev/revision': 'knn-predictor-00001',
    });
    expect(
      (cluster.get(ISVC, 'InferenceService', 'knn')?.status as any)
        ?.deploymentMode,
    ).toBe('Knative');

    await remove(cluster.request, isvc);
    await eventually(() =>
      cluster.get('v1', 'Service', 'knn-predictor') ||
      cluster.get('v1', 'Service', 'knn') ||
      cluster.get('serving.knative.dev/v1', 'Service', 'knn-predictor') ||
      cluster.get('apps/v1', 'Deployment', 'knn-predictor-00001-deployment') ||
      cluster.list('v1', 'Pod').some(p => ownedBy(p, replicaSet))
        ? undefined
        : true,
    );
  });

  it('takes the legacy Serverless annotation as Knative', async () => {
    await apply(cluster.request, inferenceService('legacy', 'Serverless'));
    const predictor = await eventually(() =>
      cluster.get('v1', 'Service', 'legacy-predictor'),
    );
    expect((predictor.spec as any).type).toBe('ExternalName');
    expect(
      cluster.get('apps/v1', 'Deployment', 'legacy-predictor'),
    ).toBeUndefined();
  });
});

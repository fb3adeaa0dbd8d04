import { KubeObject } from '../../store/types';
import {
  apply,
  eventually,
  remove,
  useControllerSandbox,
} from '../../testUtils/controllerTestKit';
import { sklearnInferenceService } from '../../testUtils/sklearnInferenceService';

const NS = 'serving';
const ISVC = 'serving.kserve.io/v1beta1';

const cluster = useControllerSandbox(NS);

function inferenceService(
  name: string,
  mode: string | undefined,
  predictor: Record<string, unknown> = {},
): KubeObject {
  return sklearnInferenceService({
    name,
    namespace: NS,
    mode,
    predictor,
    labels: { 'inference.platform.io/tenant': 'tenant-a' },
  });
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

const KNN_SCALING = {
  minReplicas: 0,
  scaleMetric: 'concurrency',
  scaleTarget: 5,
};

/** The InferenceService's status once it reports Ready=True. */
function readyStatusOf(name: string) {
  return eventually(() => {
    const status = cluster.get(ISVC, 'InferenceService', name)?.status as any;
    const ready = status?.conditions?.find((c: any) => c.type === 'Ready');
    return ready?.status === 'True' ? status : undefined;
  });
}

describe('InferenceService workloads in Knative mode, net-istio mesh-only and disableIstioVirtualHost (KServe v0.20.0, Knative 1.23.0)', () => {
  it("makes <isvc>-predictor the Route's ClusterIP Service without selector, and no ExternalName Service <isvc>", async () => {
    const isvc = await apply(
      cluster.request,
      inferenceService('knn', 'Knative', KNN_SCALING),
    );
    const ksvc = await eventually(() =>
      cluster.get('serving.knative.dev/v1', 'Service', 'knn-predictor'),
    );
    expect(ownedBy(ksvc, isvc)).toBe(true);
    const route = await eventually(() =>
      cluster.get('serving.knative.dev/v1', 'Route', 'knn-predictor'),
    );
    const predictor = await eventually(() =>
      cluster.get('v1', 'Service', 'knn-predictor'),
    );
    // Knative's MakeK8sService for a mesh-only load balancer, with the API server's defaults.
    expect(predictor.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: expect.stringMatching(/^10\.96\./),
      clusterIPs: [(predictor.spec as any).clusterIP],
      sessionAffinity: 'None',
      ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
    });
    expect(ownedBy(predictor, route)).toBe(true);
    expect(predictor.metadata.labels).toMatchObject({
      'serving.knative.dev/route': 'knn-predictor',
      'serving.knative.dev/service': 'knn-predictor',
      'serving.kserve.io/inferenceservice': 'knn',
    });
    // Once the InferenceService is Ready, KServe has run its ingress reconciler: with
    // disableIstioVirtualHost it made no ExternalName Service <isvc> (nor a VirtualService).
    await readyStatusOf('knn');
    expect(cluster.get('v1', 'Service', 'knn')).toBeUndefined();
    expect(
      cluster.get('networking.istio.io/v1', 'VirtualService', 'knn'),
    ).toBeUndefined();
  });

  it('gives the revision its public Service without selector and its private Service selecting its pods', async () => {
    const revision = await eventually(() =>
      cluster.get('serving.knative.dev/v1', 'Revision', 'knn-predictor-00001'),
    );
    const uid = revision.metadata.uid;
    const publicService = await eventually(() =>
      cluster.get('v1', 'Service', 'knn-predictor-00001'),
    );
    const privateService = await eventually(() =>
      cluster.get('v1', 'Service', 'knn-predictor-00001-private'),
    );
    const revisionLabels = {
      'serving.kserve.io/inferenceservice': 'knn',
      component: 'predictor',
      'serving.knative.dev/service': 'knn-predictor',
      'serving.knative.dev/configuration': 'knn-predictor',
      'serving.knative.dev/revision': 'knn-predictor-00001',
      'serving.knative.dev/revisionUID': uid,
      app: 'knn-predictor-00001',
      'networking.internal.knative.dev/serverlessservice':
        'knn-predictor-00001',
    };
    expect(publicService.metadata.labels).toMatchObject({
      ...revisionLabels,
      'networking.internal.knative.dev/serviceType': 'Public',
    });
    expect(privateService.metadata.labels).toMatchObject({
      ...revisionLabels,
      'networking.internal.knative.dev/serviceType': 'Private',
    });
    // The ServerlessService drops the metric annotation (MakeSKS); the others stay.
    expect(revision.metadata.annotations).toMatchObject({
      'autoscaling.knative.dev/metric': 'concurrency',
    });
    for (const service of [publicService, privateService]) {
      expect(service.metadata.labels).not.toHaveProperty([
        'serving.knative.dev/routingState',
      ]);
      expect(service.metadata.annotations).toMatchObject({
        'autoscaling.knative.dev/min-scale': '0',
        'autoscaling.knative.dev/target': '5',
      });
      expect(service.metadata.annotations).not.toHaveProperty([
        'autoscaling.knative.dev/metric',
      ]);
      expect(ownedBy(service, revision)).toBe(true);
    }
    expect(publicService.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: expect.stringMatching(/^10\.96\./),
      clusterIPs: [(publicService.spec as any).clusterIP],
      sessionAffinity: 'None',
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 8012 },
        { name: 'https', protocol: 'TCP', port: 443, targetPort: 8112 },
      ],
    });
    expect(privateService.spec).toMatchObject({
      type: 'ClusterIP',
      selector: { 'serving.knative.dev/revisionUID': uid },
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 8012 },
        { name: 'https', protocol: 'TCP', port: 443, targetPort: 8112 },
        {
          name: 'http-autometric',
          protocol: 'TCP',
          port: 9090,
          targetPort: 'http-autometric',
        },
        {
          name: 'http-usermetric',
          protocol: 'TCP',
          port: 9091,
          targetPort: 'http-usermetric',
        },
        { name: 'http-istio', protocol: 'TCP', port: 8012, targetPort: 8012 },
      ],
    });
  });

  it('runs the revision in its Deployment, labelled as Knative labels it', async () => {
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
    expect(revision.metadata.labels).toHaveProperty(
      ['serving.knative.dev/routingState'],
      'active',
    );
    expect(deployment.metadata.labels).not.toHaveProperty([
      'serving.knative.dev/routingState',
    ]);
    const replicaSet = await eventually(() =>
      cluster.list('apps/v1', 'ReplicaSet').find(rs => ownedBy(rs, deployment)),
    );
    const [pod] = await podsOf(replicaSet, 1);
    expect(pod.metadata.labels).toMatchObject({
      'serving.knative.dev/revision': 'knn-predictor-00001',
    });
  });

  it("reports the predictor's name as the InferenceService's URL and address, with the Knative Service's revisions", async () => {
    const status = await readyStatusOf('knn');
    const url = 'http://knn-predictor.serving.svc.cluster.local';
    expect(status).toMatchObject({
      deploymentMode: 'Knative',
      url,
      address: { url },
      modelStatus: { states: { activeModelState: 'Loaded' } },
    });
    expect(status.components.predictor).toEqual({
      latestCreatedRevision: 'knn-predictor-00001',
      latestReadyRevision: 'knn-predictor-00001',
      latestRolledoutRevision: 'knn-predictor-00001',
      traffic: [
        {
          revisionName: 'knn-predictor-00001',
          latestRevision: true,
          percent: 100,
        },
      ],
      url,
      address: { url },
    });
    expect(status.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual([
      'IngressReady=True',
      'LatestDeploymentReady=True',
      'PredictorConfigurationReady=True',
      'PredictorReady=True',
      'PredictorRouteReady=True',
      'Ready=True',
      'RoutesReady=True',
    ]);
  });

  it('records the revision rolled out before when a spec change makes a new one', async () => {
    await apply(
      cluster.request,
      inferenceService('knn', 'Knative', { ...KNN_SCALING, maxReplicas: 2 }),
    );
    const predictor = await eventually(() => {
      const status = cluster.get(ISVC, 'InferenceService', 'knn')
        ?.status as any;
      const component = status?.components?.predictor;
      return component?.latestRolledoutRevision === 'knn-predictor-00002'
        ? component
        : undefined;
    });
    expect(predictor).toMatchObject({
      latestCreatedRevision: 'knn-predictor-00002',
      latestReadyRevision: 'knn-predictor-00002',
      previousRolledoutRevision: 'knn-predictor-00001',
    });
    await eventually(() =>
      cluster.get('v1', 'Service', 'knn-predictor-00002-private'),
    );
  });

  it('removes the Knative objects and Services with the InferenceService', async () => {
    const isvc = cluster.get(ISVC, 'InferenceService', 'knn')!;
    const deployment = await eventually(() =>
      cluster.get('apps/v1', 'Deployment', 'knn-predictor-00001-deployment'),
    );
    const replicaSet = await eventually(() =>
      cluster.list('apps/v1', 'ReplicaSet').find(rs => ownedBy(rs, deployment)),
    );
    await remove(cluster.request, isvc);
    const everythingGone = eventually(() =>
      cluster
        .list('v1', 'Service')
        .some(s => s.metadata.name!.startsWith('knn-predictor')) ||
      cluster.get('serving.knative.dev/v1', 'Service', 'knn-predictor') ||
      cluster.get('apps/v1', 'Deployment', 'knn-predictor-00001-deployment') ||
      cluster.list('v1', 'Pod').some(p => ownedBy(p, replicaSet))
        ? undefined
        : true,
    );
    await expect(everythingGone).resolves.toBe(true);
  });

  it('gives an h2c revision the HTTP/2 ports', async () => {
    await apply(cluster.request, {
      ...inferenceService('grpc', 'Knative'),
      spec: {
        predictor: {
          containers: [
            {
              name: 'kserve-container',
              image: 'example/grpc-model:1',
              ports: [{ name: 'h2c', containerPort: 8081 }],
            },
          ],
        },
      },
    });
    const publicService = await eventually(() =>
      cluster.get('v1', 'Service', 'grpc-predictor-00001'),
    );
    expect((publicService.spec as any).ports[0]).toEqual({
      name: 'http2',
      protocol: 'TCP',
      appProtocol: 'kubernetes.io/h2c',
      port: 81,
      targetPort: 8013,
    });
    const privateService = await eventually(() =>
      cluster.get('v1', 'Service', 'grpc-predictor-00001-private'),
    );
    expect((privateService.spec as any).ports).toContainEqual({
      name: 'http2-istio',
      protocol: 'TCP',
      port: 8013,
      targetPort: 8013,
    });
    expect((privateService.spec as any).ports[0]).toMatchObject({
      name: 'http2',
      port: 80,
      targetPort: 8013,
    });
  });

  it('takes the legacy Serverless annotation as Knative', async () => {
    await apply(cluster.request, inferenceService('legacy', 'Serverless'));
    const predictor = await eventually(() =>
      cluster.get('serving.knative.dev/v1', 'Service', 'legacy-predictor'),
    );
    expect(predictor).toBeDefined();
    expect(
      cluster.get('apps/v1', 'Deployment', 'legacy-predictor'),
    ).toBeUndefined();
    expect((await readyStatusOf('legacy')).deploymentMode).toBe('Knative');
  });
});

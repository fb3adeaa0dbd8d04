import { KubeObject } from '../../store/types';
import {
  apply,
  conditionOf,
  eventually,
  useControllerSandbox,
} from '../../testUtils/controllerTestKit';
import { sklearnInferenceServicesIn } from '../../testUtils/sklearnInferenceService';

/**
 * Canary rollouts of Knative-mode InferenceServices (KServe v0.20.0 `canaryTrafficPercent`,
 * Knative Serving 1.23 traffic), and predictors whose pods never become Ready (a storage URI the
 * sandbox treats as unreachable), in Knative and Standard mode.
 */

const NS = 'rollouts';
const ISVC = 'serving.kserve.io/v1beta1';
const KNATIVE = 'serving.knative.dev/v1';

const cluster = useControllerSandbox(NS);

const inferenceService = sklearnInferenceServicesIn(NS);

const statusOf = (name: string): any =>
  cluster.get(ISVC, 'InferenceService', name)?.status;

/** Waits until the InferenceService's status satisfies `check`, and returns it. */
function statusWhen(name: string, check: (status: any) => boolean) {
  return eventually(() => {
    const status = statusOf(name);
    return status && check(status) ? status : undefined;
  });
}

/** Waits until the predictor's component status satisfies `check`, and returns it. */
async function predictorWhen(name: string, check: (predictor: any) => boolean) {
  const status = await statusWhen(
    name,
    s => s.components?.predictor !== undefined && check(s.components.predictor),
  );
  return status.components.predictor;
}

/** Whether the predictor sends `percent` of its traffic to `revision`. */
const sendsTo = (predictor: any, revision: string, percent: number) =>
  (predictor.traffic ?? []).some(
    (t: any) => t.revisionName === revision && t.percent === percent,
  );

/** Applies an InferenceService, waits until it is Ready, then applies it again from `nextUri`. */
async function updateOnceReady(
  name: string,
  mode: 'Knative' | 'Standard',
  storageUri: string,
  nextUri: string,
  annotations: Record<string, string> = {},
) {
  await apply(
    cluster.request,
    inferenceService(name, mode, storageUri, {}, annotations),
  );
  await statusWhen(name, s => conditionOf(s, 'Ready')?.status === 'True');
  await apply(
    cluster.request,
    inferenceService(name, mode, nextUri, {}, annotations),
  );
}

/** The predictor's traffic with no canary: all of it on the latest (ready) revision. */
const allTrafficTo = (revision: string) => [
  { revisionName: revision, latestRevision: true, percent: 100 },
];

/**
 * The predictor's traffic during a canary of `name`: `percent` to the latest (ready) revision, the
 * rest to the one KServe pinned under the `prev` tag, with that tag's URL.
 */
const canaryTraffic = (
  name: string,
  latest: string,
  prev: string,
  percent: number,
) => [
  { revisionName: latest, latestRevision: true, percent },
  {
    tag: 'prev',
    revisionName: prev,
    latestRevision: false,
    percent: 100 - percent,
    url: `http://${name}-predictor-prev.${NS}.svc.cluster.local`,
  },
];

const conditionsOf = (status: any) =>
  Object.fromEntries(
    status.conditions.map((c: any) => [
      c.type,
      [c.status, c.reason, c.message].filter(Boolean).join(' '),
    ]),
  );

/** The pods of a Knative revision, once `check` holds for them. */
function revisionPodsWhen(
  revision: string,
  check: (pods: KubeObject[]) => boolean,
) {
  return eventually(() => {
    const pods = cluster
      .list('v1', 'Pod')
      .filter(
        p => p.metadata.labels?.['serving.knative.dev/revision'] === revision,
      );
    return check(pods) ? pods : undefined;
  });
}

const isReady = (pod: KubeObject) =>
  conditionOf(pod.status, 'Ready')?.status === 'True';
const routingStateOf = (revision: string) =>
  cluster.get(KNATIVE, 'Revision', revision)?.metadata.labels?.[
    'serving.knative.dev/routingState'
  ];
const revisionReadyOf = (revision: string) =>
  conditionOf(cluster.get(KNATIVE, 'Revision', revision)?.status, 'Ready');

describe('canary rollout of a Knative InferenceService (KServe v0.20.0, Knative 1.23.0)', () => {
  const name = 'iris';
  const v1 = 'iris-predictor-00001';
  const v2 = 'iris-predictor-00002';

  /**
   * A canary of v2 at `percent`, with v1 pinned as `prev`: in the InferenceService's status, and in
   * the split KServe's Knative Service asks for.
   */
  function expectCanaryOfV2(predictor: any, percent: number) {
    expect(predictor.traffic).toEqual(canaryTraffic(name, v2, v1, percent));
    expect(predictor).toMatchObject({
      latestCreatedRevision: v2,
      latestReadyRevision: v2,
      latestRolledoutRevision: v1,
    });
    expect(
      (cluster.get(KNATIVE, 'Service', 'iris-predictor')?.spec as any).traffic,
    ).toEqual([
      { latestRevision: true, percent },
      {
        tag: 'prev',
        revisionName: v1,
        latestRevision: false,
        percent: 100 - percent,
      },
    ]);
  }

  beforeAll(async () => {
    await apply(
      cluster.request,
      inferenceService(name, 'Knative', 'gs://bucket/iris/v1'),
    );
    await statusWhen(
      name,
      s =>
        conditionOf(s, 'Ready')?.status === 'True' &&
        s.components?.predictor?.latestRolledoutRevision === v1,
    );
  });

  it('splits traffic 80/20 between the rolled-out revision and a new one at canaryTrafficPercent 20', async () => {
    await apply(
      cluster.request,
      inferenceService(name, 'Knative', 'gs://bucket/iris/v2', {
        canaryTrafficPercent: 20,
      }),
    );
    // Until v2 is Ready the latest-revision target still resolves to v1.
    const predictor = await predictorWhen(name, p => sendsTo(p, v2, 20));
    // KServe's Knative Service asks for the split; Knative's Route carries it out.
    expectCanaryOfV2(predictor, 20);
    const route = cluster.get(KNATIVE, 'Route', 'iris-predictor')
      ?.status as any;
    expect(route.traffic).toEqual(predictor.traffic);
    expect(conditionOf(route, 'Ready')?.status).toBe('True');
    // Both revisions are routed, so both keep their pods.
    for (const revision of [v1, v2]) {
      expect(routingStateOf(revision)).toBe('active');
      const [pod] = await revisionPodsWhen(revision, pods => pods.length === 1);
      expect(isReady(pod)).toBe(true);
    }
    expect(conditionOf(statusOf(name), 'Ready')?.status).toBe('True');
  });

  it('promotes the new revision to 100% when canaryTrafficPercent is removed', async () => {
    await apply(
      cluster.request,
      inferenceService(name, 'Knative', 'gs://bucket/iris/v2'),
    );
    const predictor = await predictorWhen(
      name,
      p => p.latestRolledoutRevision === v2,
    );
    expect(predictor).toMatchObject({
      latestCreatedRevision: v2,
      latestReadyRevision: v2,
      latestRolledoutRevision: v2,
      previousRolledoutRevision: v1,
      traffic: allTrafficTo(v2),
    });
    // The old revision leaves the route: reserve, scaled to zero.
    await eventually(() =>
      routingStateOf(v1) === 'reserve' ? true : undefined,
    );
    await revisionPodsWhen(v1, pods => pods.length === 0);
    expect(
      (cluster.get('apps/v1', 'Deployment', `${v1}-deployment`)?.spec as any)
        .replicas,
    ).toBe(0);
  });

  it('rolls back to the previous revision at canaryTrafficPercent 0', async () => {
    await apply(
      cluster.request,
      inferenceService(name, 'Knative', 'gs://bucket/iris/v2', {
        canaryTrafficPercent: 0,
      }),
    );
    // KServe first pins `prev` to the revision it last rolled out (v2), sees that revision's
    // traffic come back through `prev` and falls back to the revision rolled out before (v1).
    const predictor = await predictorWhen(name, p => sendsTo(p, v1, 100));
    expectCanaryOfV2(predictor, 0);
    // v1 is routed again and gets its pod back.
    await eventually(() =>
      routingStateOf(v1) === 'active' ? true : undefined,
    );
    const [pod] = await revisionPodsWhen(
      v1,
      pods => pods.length === 1 && isReady(pods[0]),
    );
    expect(pod).toBeDefined();
    expect(conditionOf(statusOf(name), 'Ready')?.status).toBe('True');
  });
});

describe('a new Knative revision whose pods never become Ready', () => {
  it('keeps all traffic on the previous revision and says why in the InferenceService status', async () => {
    const name = 'wine';
    await updateOnceReady(
      name,
      'Knative',
      'gs://bucket/wine/v1',
      'gs://unreachable/wine/v2',
    );
    const status = await statusWhen(
      name,
      s => s.modelStatus?.transitionStatus === 'BlockedByFailedLoad',
    );
    expect(status.components.predictor).toMatchObject({
      latestCreatedRevision: 'wine-predictor-00002',
      latestReadyRevision: 'wine-predictor-00001',
      latestRolledoutRevision: 'wine-predictor-00001',
      traffic: allTrafficTo('wine-predictor-00001'),
      url: 'http://wine-predictor.rollouts.svc.cluster.local',
    });
    expect(status.modelStatus).toMatchObject({
      transitionStatus: 'BlockedByFailedLoad',
      states: { activeModelState: 'Loaded', targetModelState: 'FailedToLoad' },
      lastFailureInfo: {
        reason: 'ModelLoadFailed',
        exitCode: 1,
        message: expect.stringContaining(
          'Storage initialization failed: Failed to fetch model. No model found in gs://unreachable/wine/v2.',
        ),
      },
    });
    // Within Knative's progress deadline the new revision is still deploying, so nothing is
    // False yet; the InferenceService keeps its URL and ingress.
    expect(conditionsOf(status)).toMatchObject({
      PredictorReady: 'Unknown',
      PredictorConfigurationReady: 'Unknown',
      LatestDeploymentReady: 'Unknown PredictorConfigurationReady not ready',
      PredictorRouteReady: 'True',
      IngressReady: 'True',
      Ready: 'Unknown',
    });
    expect(status.url).toBe('http://wine-predictor.rollouts.svc.cluster.local');
    expect(revisionReadyOf('wine-predictor-00002')).toMatchObject({
      status: 'Unknown',
      reason: 'Deploying',
    });
    // The kubelet's report of the failing pod; the old revision keeps serving.
    const [pod] = await revisionPodsWhen(
      'wine-predictor-00002',
      p => p.length === 1,
    );
    expect(pod.status).toMatchObject({
      phase: 'Pending',
      initContainerStatuses: [
        {
          name: 'storage-initializer',
          ready: false,
          restartCount: 1,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
      containerStatuses: [
        {
          name: 'kserve-container',
          ready: false,
          state: { waiting: { reason: 'PodInitializing' } },
        },
      ],
    });
    expect(conditionOf(pod.status, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [kserve-container]',
    });
    const [old] = await revisionPodsWhen(
      'wine-predictor-00001',
      p => p.length === 1,
    );
    expect(isReady(old)).toBe(true);
    expect(routingStateOf('wine-predictor-00001')).toBe('active');
  });

  it('fails the revision once its progress deadline passes, and KServe propagates the reason', async () => {
    const name = 'digits';
    await updateOnceReady(
      name,
      'Knative',
      'gs://bucket/digits/v1',
      'gs://unreachable/digits/v2',
      { 'serving.knative.dev/progress-deadline': '1s' },
    );
    const status = await statusWhen(
      name,
      s => conditionOf(s, 'PredictorReady')?.status === 'False',
    );
    const failed = 'Revision "digits-predictor-00002" failed with message: .';
    expect(conditionsOf(status)).toEqual({
      PredictorReady: `False RevisionFailed ${failed}`,
      PredictorConfigurationReady: `False RevisionFailed ${failed}`,
      LatestDeploymentReady: 'False PredictorConfigurationReady not ready',
      PredictorRouteReady: 'True',
      RoutesReady: 'True',
      IngressReady: 'True',
      Ready: `False RevisionFailed ${failed}`,
    });
    // Knative reads the containers, which wait in PodInitializing behind the failing init container.
    expect(revisionReadyOf('digits-predictor-00002')).toMatchObject({
      status: 'False',
      reason: 'PodInitializing',
    });
    const deployment = cluster.get(
      'apps/v1',
      'Deployment',
      'digits-predictor-00002-deployment',
    )?.status as any;
    expect(conditionOf(deployment, 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
    expect(status.components.predictor).toMatchObject({
      latestReadyRevision: 'digits-predictor-00001',
      traffic: allTrafficTo('digits-predictor-00001'),
    });
    expect(status.modelStatus.lastFailureInfo.reason).toBe('ModelLoadFailed');
  });

  it('leaves a canary at 0% of a failing revision: all traffic stays on the previous one', async () => {
    const name = 'cover';
    await apply(
      cluster.request,
      inferenceService(name, 'Knative', 'gs://bucket/cover/v1'),
    );
    await predictorWhen(
      name,
      p => p.latestRolledoutRevision === 'cover-predictor-00001',
    );
    await apply(
      cluster.request,
      inferenceService(name, 'Knative', 'gs://unreachable/cover/v2', {
        canaryTrafficPercent: 30,
      }),
    );
    // The latest-revision target resolves to the latest *ready* revision, still v1.
    const predictor = await predictorWhen(
      name,
      p =>
        p.latestCreatedRevision === 'cover-predictor-00002' &&
        p.traffic?.length === 2,
    );
    expect(predictor.traffic).toEqual(
      canaryTraffic(name, 'cover-predictor-00001', 'cover-predictor-00001', 30),
    );
  });
});

describe('a Standard InferenceService whose pods never become Ready (KServe v0.20.0 raw deployment)', () => {
  it('is not Ready, following its Deployment, and says why', async () => {
    const name = 'broken';
    await apply(
      cluster.request,
      inferenceService(name, 'Standard', 'gs://unreachable/broken'),
    );
    const status = await statusWhen(
      name,
      s => s.modelStatus?.transitionStatus === 'BlockedByFailedLoad',
    );
    expect(conditionsOf(status)).toEqual({
      PredictorReady:
        'False MinimumReplicasUnavailable Deployment does not have minimum availability.',
      IngressReady: 'True',
      Ready:
        'False MinimumReplicasUnavailable Deployment does not have minimum availability.',
    });
    expect(status.modelStatus).toMatchObject({
      states: { activeModelState: '', targetModelState: 'FailedToLoad' },
      lastFailureInfo: {
        reason: 'ModelLoadFailed',
        exitCode: 1,
        message: expect.stringContaining(
          'No model found in gs://unreachable/broken.',
        ),
      },
    });
    expect(status.components.predictor.url).toBeUndefined();
    const deployment = await eventually(() => {
      const d = cluster.get('apps/v1', 'Deployment', 'broken-predictor')
        ?.status as any;
      return d?.replicas === 1 ? d : undefined;
    });
    expect(deployment).toMatchObject({ replicas: 1, unavailableReplicas: 1 });
    expect(deployment.availableReplicas).toBeUndefined();
    expect(conditionOf(deployment, 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
  });

  it('keeps the old pods serving while a new template fails (rolling update)', async () => {
    const name = 'steady';
    await updateOnceReady(
      name,
      'Standard',
      'gs://bucket/steady/v1',
      'gs://unreachable/steady/v2',
    );
    const deployment = await eventually(() => {
      const d = cluster.get('apps/v1', 'Deployment', 'steady-predictor');
      return (d?.status as any)?.replicas === 2 ? d : undefined;
    });
    const sets = cluster
      .list('apps/v1', 'ReplicaSet')
      .filter(rs =>
        rs.metadata.ownerReferences?.some(
          (o: any) => o.uid === deployment.metadata.uid,
        ),
      );
    expect(sets.map(rs => (rs.spec as any).replicas).sort()).toEqual([1, 1]);
    expect(deployment.status).toMatchObject({
      replicas: 2,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      unavailableReplicas: 1,
    });
    expect(conditionOf(deployment.status, 'Available')?.status).toBe('True');
    expect(conditionOf(deployment.status, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
    });
  });
});

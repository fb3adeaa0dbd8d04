import {
  ApiException,
  ApisApi,
  AppsV1Api,
  AutoscalingV2Api,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeSandbox, startKubeSandbox } from '../sandbox';
import { eventually } from '../testUtils/controllerTestKit';
import { isvc } from '../testUtils/sampleObjects';

const ISVC = {
  group: 'serving.kserve.io',
  version: 'v1beta1',
  namespace: 'models',
  plural: 'inferenceservices',
};

let sandbox: KubeSandbox;
let kubeConfig: KubeConfig;
let objects: KubernetesObjectApi;
let custom: CustomObjectsApi;

beforeAll(async () => {
  sandbox = await startKubeSandbox({ controllers: false });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(sandbox.kubeconfig());
  objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  custom = kubeConfig.makeApiClient(CustomObjectsApi);
  await objects.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'models' },
  });
});

afterAll(() => sandbox.close());

/** The ApiException a call rejects with (client-node 1.4 puts the Status JSON in `body` as a string). */
async function apiError(
  call: Promise<unknown>,
): Promise<{ code: number; status: any }> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const { code, body } = error as ApiException<string>;
    return { code, status: typeof body === 'string' ? JSON.parse(body) : body };
  }
  throw new Error('expected the call to fail');
}

describe('KubernetesObjectApi', () => {
  it('server-side applies, reads, lists and deletes', async () => {
    const applied = await objects.patch(
      isvc('b', { app: 'demo' }) as KubernetesObject,
      undefined,
      undefined,
      'backstage-ai-publisher',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata?.managedFields?.[0]).toMatchObject({
      manager: 'backstage-ai-publisher',
      operation: 'Apply',
    });

    const header = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'b', namespace: 'models' },
    };
    const read = await objects.read(header);
    expect(read.metadata?.uid).toBe(applied.metadata?.uid);

    const list = await objects.list(
      'serving.kserve.io/v1beta1',
      'InferenceService',
      'models',
      undefined,
      undefined,
      undefined,
      undefined,
      'app=demo',
    );
    expect(list.items.map(i => i.metadata?.name)).toEqual(['b']);

    await objects.delete(read);
    const gone = await apiError(objects.read(header));
    expect(gone.code).toBe(404);
  });

  it('gets 415 for the default strategic-merge patch of a custom resource', async () => {
    await objects.create(isvc('smp') as KubernetesObject);
    const rejected = await apiError(
      objects.patch(isvc('smp', { x: 'y' }) as KubernetesObject),
    );
    expect(rejected.code).toBe(415);
    expect(rejected.status.reason).toBe('UnsupportedMediaType');
  });

  it('gets a 409 apply conflict with FieldManagerConflict causes', async () => {
    await objects.patch(
      isvc('c') as KubernetesObject,
      undefined,
      undefined,
      'first',
      false,
      PatchStrategy.ServerSideApply,
    );
    const changed = isvc('c');
    changed.spec.predictor.model.storageUri = 'gs://changed';
    const conflict = await apiError(
      objects.patch(
        changed as KubernetesObject,
        undefined,
        undefined,
        'second',
        false,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.status.details.causes).toEqual([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "first" using serving.kserve.io/v1beta1',
        field: '.spec.predictor.model.storageUri',
      },
    ]);
  });
});

describe('CustomObjectsApi', () => {
  it('creates, gets, lists by label, merge-patches and deletes', async () => {
    const created = await custom.createNamespacedCustomObject({
      ...ISVC,
      body: isvc('a', { app: 'demo' }),
    });
    expect(created.metadata.generation).toBe(1);

    const got = await custom.getNamespacedCustomObject({ ...ISVC, name: 'a' });
    expect(got.spec.predictor.model.modelFormat.name).toBe('huggingface');

    await custom.createNamespacedCustomObject({
      ...ISVC,
      body: isvc('other', { app: 'else' }),
    });
    const listed = await custom.listNamespacedCustomObject({
      ...ISVC,
      labelSelector: 'app=demo',
    });
    expect(listed.kind).toBe('InferenceServiceList');
    expect(listed.items.map((i: any) => i.metadata.name)).toEqual(['a']);

    const patched = await custom.patchNamespacedCustomObject(
      { ...ISVC, name: 'a', body: { spec: { predictor: { minReplicas: 2 } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.spec.predictor.minReplicas).toBe(2);
    expect(patched.metadata.generation).toBe(2);

    const deleted = await custom.deleteNamespacedCustomObject({
      ...ISVC,
      name: 'a',
    });
    expect(deleted).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'a' },
    });
  });

  it('surfaces 404, 409 and 422 as ApiExceptions with Status bodies', async () => {
    const missing = await apiError(
      custom.getNamespacedCustomObject({ ...ISVC, name: 'nope' }),
    );
    expect(missing).toMatchObject({
      code: 404,
      status: {
        reason: 'NotFound',
        message: 'inferenceservices.serving.kserve.io "nope" not found',
      },
    });

    await custom.createNamespacedCustomObject({ ...ISVC, body: isvc('dup') });
    const duplicate = await apiError(
      custom.createNamespacedCustomObject({ ...ISVC, body: isvc('dup') }),
    );
    expect(duplicate).toMatchObject({
      code: 409,
      status: { reason: 'AlreadyExists' },
    });

    const invalid = isvc('invalid');
    invalid.spec.predictor.model.modelFormat = {};
    const rejected = await apiError(
      custom.createNamespacedCustomObject({ ...ISVC, body: invalid }),
    );
    expect(rejected.code).toBe(422);
    expect(rejected.status.details.causes).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'spec.predictor.model.modelFormat.name',
        message: 'Required value',
      },
    ]);
  });

  it('server-side applies through setHeaderOptions', async () => {
    const applied = await custom.patchNamespacedCustomObject(
      {
        ...ISVC,
        name: 'ssa',
        body: isvc('ssa'),
        fieldManager: 'backstage-ai-publisher',
        force: true,
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    expect(applied.metadata.managedFields[0].manager).toBe(
      'backstage-ai-publisher',
    );
  });
});

describe('Watch', () => {
  it('streams events filtered by label', async () => {
    const seen: string[] = [];
    const watch = new Watch(kubeConfig);
    let resolveDone: () => void;
    const done = new Promise<void>(resolve => {
      resolveDone = resolve;
    });
    const request = await watch.watch(
      '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices',
      { labelSelector: 'app=watched' },
      (type, object) => {
        seen.push(`${type} ${object.metadata.name}`);
        if (seen.length === 2) resolveDone();
      },
      () => {},
    );
    try {
      await custom.createNamespacedCustomObject({
        ...ISVC,
        body: isvc('w', { app: 'watched' }),
      });
      await custom.createNamespacedCustomObject({
        ...ISVC,
        body: isvc('unwatched'),
      });
      await custom.deleteNamespacedCustomObject({ ...ISVC, name: 'w' });
      await done;
    } finally {
      request.abort();
    }
    expect(seen).toEqual(['ADDED w', 'DELETED w']);
  });
});

describe('built-in API groups', () => {
  const podTemplate = {
    metadata: { labels: { app: 'db' } },
    spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
  };

  it('are discovered with their preferred versions and resources', async () => {
    const groups = await kubeConfig.makeApiClient(ApisApi).getAPIVersions();
    const preferred = Object.fromEntries(
      groups.groups.map(g => [g.name, g.preferredVersion?.groupVersion]),
    );
    expect(preferred).toMatchObject({
      apps: 'apps/v1',
      batch: 'batch/v1',
      autoscaling: 'autoscaling/v2',
      'networking.k8s.io': 'networking.k8s.io/v1',
      policy: 'policy/v1',
      'rbac.authorization.k8s.io': 'rbac.authorization.k8s.io/v1',
      'coordination.k8s.io': 'coordination.k8s.io/v1',
      'discovery.k8s.io': 'discovery.k8s.io/v1',
      'events.k8s.io': 'events.k8s.io/v1',
    });
    const apps = await kubeConfig.makeApiClient(AppsV1Api).getAPIResources();
    expect(
      apps.resources.map(r => [r.name, r.shortNames ?? [], r.namespaced]),
    ).toEqual([
      ['deployments', ['deploy'], true],
      ['deployments/status', [], true],
      ['replicasets', ['rs'], true],
      ['replicasets/status', [], true],
      ['statefulsets', ['sts'], true],
      ['statefulsets/status', [], true],
      ['daemonsets', ['ds'], true],
      ['daemonsets/status', [], true],
      ['controllerrevisions', [], true],
    ]);
    const core = await kubeConfig.makeApiClient(CoreV1Api).getAPIResources();
    expect(core.resources.map(r => r.name)).toEqual(
      expect.arrayContaining([
        'endpoints',
        'persistentvolumeclaims',
        'persistentvolumes',
        'nodes',
        'replicationcontrollers',
      ]),
    );
  });

  it('creates, reads, patches and deletes StatefulSets, Jobs, HPAs, NetworkPolicies and Leases', async () => {
    const namespace = 'models';
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedStatefulSet({
      namespace,
      body: {
        metadata: { name: 'db', labels: { app: 'db' } },
        spec: {
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: podTemplate,
        },
      },
    });
    expect(created.metadata?.uid).toBeDefined();
    const patched = await apps.patchNamespacedStatefulSet({
      name: 'db',
      namespace,
      body: [{ op: 'add', path: '/spec/replicas', value: 3 }],
    });
    expect(patched.spec?.replicas).toBe(3);
    expect(patched.metadata?.generation).toBe(2);

    const batch = kubeConfig.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({
      namespace,
      body: {
        metadata: { name: 'migrate', labels: { app: 'db' } },
        spec: {
          template: {
            spec: { ...podTemplate.spec, restartPolicy: 'Never' },
          },
        },
      },
    });
    const jobs = await batch.listNamespacedJob({
      namespace,
      labelSelector: 'app=db',
    });
    expect(jobs.items.map(j => j.metadata?.name)).toEqual(['migrate']);

    const autoscaling = kubeConfig.makeApiClient(AutoscalingV2Api);
    const hpa = await autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace,
      body: {
        metadata: { name: 'db' },
        spec: {
          scaleTargetRef: {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            name: 'db',
          },
          maxReplicas: 5,
        },
      },
    });
    const replaced = await autoscaling.replaceNamespacedHorizontalPodAutoscaler(
      {
        name: 'db',
        namespace,
        body: { ...hpa, spec: { ...hpa.spec!, minReplicas: 2 } },
      },
    );
    expect(replaced.spec?.minReplicas).toBe(2);

    const networking = kubeConfig.makeApiClient(NetworkingV1Api);
    await networking.createNamespacedNetworkPolicy({
      namespace,
      body: {
        metadata: { name: 'deny-all' },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      },
    });
    await networking.deleteNamespacedNetworkPolicy({
      name: 'deny-all',
      namespace,
    });
    const noPolicy = await apiError(
      networking.readNamespacedNetworkPolicy({ name: 'deny-all', namespace }),
    );
    expect(noPolicy.code).toBe(404);

    const leases = kubeConfig.makeApiClient(CoordinationV1Api);
    await leases.createNamespacedLease({
      namespace,
      body: {
        metadata: { name: 'leader' },
        spec: { holderIdentity: 'pod-a', leaseDurationSeconds: 15 },
      },
    });
    const lease = await leases.readNamespacedLease({
      name: 'leader',
      namespace,
    });
    expect(lease.spec?.holderIdentity).toBe('pod-a');

    await apps.deleteNamespacedStatefulSet({ name: 'db', namespace });
    const gone = await apiError(
      apps.readNamespacedStatefulSet({ name: 'db', namespace }),
    );
    expect(gone.status.message).toBe('statefulsets.apps "db" not found');
  });

  it('rejects built-in objects that break their OpenAPI schema with 422 causes', async () => {
    const rejected = await apiError(
      objects.create({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'bad', namespace: 'models' },
        spec: {
          replicas: 'three',
          selector: { matchLabels: { app: 'bad' } },
          template: { ...podTemplate, metadata: { labels: { app: 'bad' } } },
        },
      } as KubernetesObject),
    );
    expect(rejected.code).toBe(422);
    expect(rejected.status.details.causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.replicas',
        message:
          'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
    ]);
    const noSchedule = await apiError(
      objects.create({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'bad', namespace: 'models' },
        spec: { jobTemplate: { spec: { template: podTemplate } } },
      } as KubernetesObject),
    );
    expect(noSchedule.code).toBe(422);
    expect(noSchedule.status.message).toBe(
      'CronJob.batch "bad" is invalid: spec.schedule: Required value',
    );
  });
});

/** The catalog entity of a model in catalog/models.yaml, by its InferenceService's name. */
function modelEntity(isvcName: string): any {
  const file = path.resolve(__dirname, '../../../../catalog/models.yaml');
  const entity = parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(doc => doc.toJS())
    .find(
      e =>
        e?.metadata?.annotations?.[
          'inference.platform.io/inference-service'
        ] === isvcName,
    );
  if (!entity) throw new Error(`no entity for ${isvcName} in ${file}`);
  return entity;
}

/**
 * The label selector the Backstage Kubernetes plugin lists an entity's objects by
 * (@backstage/plugin-kubernetes-backend `KubernetesFanOutHandler`): the
 * `backstage.io/kubernetes-label-selector` annotation, else `backstage.io/kubernetes-id=<id>`.
 */
function pluginLabelSelector(entity: any): string {
  const annotations = entity.metadata.annotations ?? {};
  return (
    annotations['backstage.io/kubernetes-label-selector'] ||
    `backstage.io/kubernetes-id=${
      annotations['backstage.io/kubernetes-id'] || entity.metadata.name
    }`
  );
}

/** The plugin's default object types (`KubernetesFanOutHandler` DEFAULT_OBJECTS). */
const PLUGIN_OBJECT_TYPES: Array<[string, string]> = [
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'LimitRange'],
  ['v1', 'ResourceQuota'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
];

describe('a Ready InferenceService, as the Backstage Kubernetes plugin finds it', () => {
  let cluster: KubeSandbox;
  let api: KubernetesObjectApi;

  beforeAll(async () => {
    cluster = await startKubeSandbox({
      controllers: { readyDelayMs: 50 },
      seedDir: path.resolve(
        __dirname,
        '../../../../configs/models/qwen-chat.yaml',
      ),
    });
    if (cluster.seedReport.applied.length !== 1) {
      throw new Error(
        `seed not applied: ${JSON.stringify(cluster.seedReport)}`,
      );
    }
    const config = new KubeConfig();
    config.loadFromString(cluster.kubeconfig());
    api = KubernetesObjectApi.makeApiClient(config);
  });

  afterAll(() => cluster.close());

  it("lists the model's Deployment, ReplicaSet and running Pods by the entity's selector", async () => {
    const entity = modelEntity('qwen-chat');
    const namespace =
      entity.metadata.annotations['backstage.io/kubernetes-namespace'];
    const labelSelector = pluginLabelSelector(entity);
    const list = async (apiVersion: string, kind: string) =>
      (
        await api.list(
          apiVersion,
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
        )
      ).items as any[];
    await eventually(() =>
      cluster.store
        .list('serving.kserve.io/v1beta1', 'InferenceService', namespace)
        .find(i =>
          (i.status as any)?.conditions?.some(
            (c: any) => c.type === 'Ready' && c.status === 'True',
          ),
        ),
    );
    await eventually(() =>
      cluster.store.list('v1', 'Pod', namespace).length === 1
        ? true
        : undefined,
    );

    // Every object type the plugin asks for is served (no 404 for the whole cluster).
    const found: Record<string, any[]> = {};
    for (const [apiVersion, kind] of PLUGIN_OBJECT_TYPES) {
      found[kind] = await list(apiVersion, kind);
    }
    expect(
      Object.fromEntries(
        Object.entries(found).map(([kind, items]) => [
          kind,
          items.map(i => i.metadata.name),
        ]),
      ),
    ).toEqual({
      Pod: [
        expect.stringMatching(/^qwen-chat-predictor-[a-z0-9]+-[a-z0-9]{5}$/),
      ],
      Service: ['qwen-chat-predictor'],
      ConfigMap: [],
      LimitRange: [],
      ResourceQuota: [],
      Deployment: ['qwen-chat-predictor'],
      ReplicaSet: [expect.stringMatching(/^qwen-chat-predictor-[a-z0-9]+$/)],
      HorizontalPodAutoscaler: [],
      Job: [],
      CronJob: [],
      Ingress: [],
      StatefulSet: [],
      DaemonSet: [],
    });

    const [deployment] = found.Deployment;
    const [replicaSet] = found.ReplicaSet;
    const [pod] = found.Pod;
    const hash = replicaSet.metadata.labels['pod-template-hash'];
    expect(deployment.status).toMatchObject({
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
    });
    expect(replicaSet.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'qwen-chat-predictor',
        uid: deployment.metadata.uid,
        controller: true,
      }),
    ]);
    expect(pod.metadata.labels).toEqual({
      'inference.platform.io/tenant': 'tenant-a',
      'inference.platform.io/model': 'qwen-chat',
      'serving.kserve.io/inferenceservice': 'qwen-chat',
      component: 'predictor',
      app: 'isvc.qwen-chat-predictor',
      'pod-template-hash': hash,
    });
    expect(pod.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: replicaSet.metadata.name,
        uid: replicaSet.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }),
    ]);
    expect(pod.spec.containers).toEqual([
      expect.objectContaining({
        name: 'kserve-container',
        image: 'kserve/huggingfaceserver:latest',
        args: ['--model_name=qwen-chat', '--max_model_len=4096'],
      }),
    ]);
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Ready', status: 'True' }),
        expect.objectContaining({ type: 'ContainersReady', status: 'True' }),
      ]),
    );
    expect(pod.status.containerStatuses).toEqual([
      expect.objectContaining({ name: 'kserve-container', ready: true }),
    ]);
  });
});

import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { KubeSandbox, startKubeSandbox } from '../sandbox';
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

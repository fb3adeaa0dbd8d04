import { KubeSandbox, startKubeSandbox } from '../sandbox';
import { KubeObject } from '../store/types';
import { createHttpClient, readWatchEvents } from '../testUtils/httpClient';
import {
  conditionOf as condition,
  eventually,
  pluralOf,
} from '../testUtils/controllerTestKit';
import { sample } from '../testUtils/sampleObjects';

let sandbox: KubeSandbox;
let request: ReturnType<typeof createHttpClient>;
const ISVCS =
  '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices';

beforeAll(async () => {
  sandbox = await startKubeSandbox({ controllers: { readyDelayMs: 50 } });
  request = createHttpClient(sandbox.url);
  await request('POST', '/api/v1/namespaces', {
    body: { metadata: { name: 'models' } },
  });
});

afterAll(() => sandbox.close());

function statusOf(apiVersion: string, kind: string, name: string): any {
  return sandbox.store.get(apiVersion, kind, 'models', name)?.status;
}

/** Creates an object with the given spec in namespace `models`. */
function createInModels(
  apiVersion: string,
  kind: string,
  name: string,
  spec: unknown,
) {
  return request(
    'POST',
    `/apis/${apiVersion}/namespaces/models/${pluralOf(kind)}`,
    { body: { apiVersion, kind, metadata: { name }, spec } },
  );
}

/** The InferenceService's status once its Ready condition is True. */
function readyStatusOf(name: string) {
  return eventually(() => {
    const status = statusOf(
      'serving.kserve.io/v1beta1',
      'InferenceService',
      name,
    );
    return condition(status, 'Ready')?.status === 'True' ? status : undefined;
  });
}

function isvcWith(name: string, model: Record<string, unknown>) {
  const isvc = sample('InferenceService');
  isvc.metadata = { name, namespace: 'models' };
  isvc.spec.predictor = { model };
  return isvc;
}

describe('InferenceService controller', () => {
  it('makes an InferenceService Ready with URLs once its Deployment is available, seen by watchers as MODIFIED', async () => {
    const created = (
      await request('POST', ISVCS, {
        body: isvcWith('ready', {
          modelFormat: { name: 'sklearn' },
          storageUri: 'gs://m',
        }),
      })
    ).body;
    await readyStatusOf('ready');
    // KServe first puts its finalizer on the object, then writes the status as the predictor's
    // Deployment comes up: not ready until it has minimum availability, then Ready.
    const events = await readWatchEvents(
      `${sandbox.url}${ISVCS}?watch=true&resourceVersion=${created.metadata.resourceVersion}`,
      100,
      { timeoutMs: 1000 },
    );
    expect(new Set(events.map(e => e.type))).toEqual(new Set(['MODIFIED']));
    expect(events[0].object.metadata.finalizers).toEqual([
      'inferenceservice.finalizers',
    ]);
    const statuses = events.map(e => e.object.status).filter(Boolean);
    expect(condition(statuses[0], 'PredictorReady').status).not.toBe('True');
    const status = statuses[statuses.length - 1];
    expect(status).toMatchObject({
      observedGeneration: 1,
      deploymentMode: 'Standard',
      url: 'http://ready-models.example.com',
      address: { url: 'http://ready-predictor.models.svc.cluster.local' },
    });
    expect(status.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual([
      'IngressReady=True',
      'PredictorReady=True',
      'Ready=True',
    ]);
  });

  it('reports an unknown runtime and an unknown model format as not ready', async () => {
    await request('POST', ISVCS, {
      body: isvcWith('bad-runtime', {
        modelFormat: { name: 'sklearn' },
        runtime: 'my-runtime',
      }),
    });
    await request('POST', ISVCS, {
      body: isvcWith('bad-format', { modelFormat: { name: 'cobol' } }),
    });
    // Only Triton serves onnx, over v2 only; without protocolVersion KServe asks for v1.
    await request('POST', ISVCS, {
      body: isvcWith('onnx-v1', { modelFormat: { name: 'onnx' } }),
    });
    await request('POST', ISVCS, {
      body: isvcWith('onnx-v2', {
        modelFormat: { name: 'onnx' },
        protocolVersion: 'v2',
      }),
    });
    const runtimeStatus = await eventually(() =>
      statusOf('serving.kserve.io/v1beta1', 'InferenceService', 'bad-runtime'),
    );
    expect(condition(runtimeStatus, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'RuntimeNotRecognized',
    });
    expect(runtimeStatus.modelStatus).toMatchObject({
      transitionStatus: 'InvalidSpec',
      lastFailureInfo: { reason: 'RuntimeNotRecognized' },
    });
    expect(runtimeStatus.url).toBeUndefined();
    const formatStatus = await eventually(() =>
      statusOf('serving.kserve.io/v1beta1', 'InferenceService', 'bad-format'),
    );
    expect(condition(formatStatus, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'NoSupportingRuntime',
      message: 'No runtime found to support predictor with model type: cobol',
    });
    const onnxV1 = await eventually(() =>
      statusOf('serving.kserve.io/v1beta1', 'InferenceService', 'onnx-v1'),
    );
    expect(condition(onnxV1, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'NoSupportingRuntime',
      message: 'No runtime found to support predictor with model type: onnx',
    });
    const onnxV2 = await readyStatusOf('onnx-v2');
    expect(condition(onnxV2, 'Ready')).toMatchObject({ status: 'True' });
  });

  it('accepts runtimes defined as ServingRuntimes in the sandbox', async () => {
    await createInModels(
      'serving.kserve.io/v1alpha1',
      'ServingRuntime',
      'cobol-runtime',
      {
        supportedModelFormats: [{ name: 'cobol' }],
        containers: [{ name: 'kserve-container', image: 'x' }],
      },
    );
    await request('POST', ISVCS, {
      body: isvcWith('custom', {
        modelFormat: { name: 'cobol' },
        runtime: 'cobol-runtime',
      }),
    });
    const status = await readyStatusOf('custom');
    expect(condition(status, 'Ready').status).toBe('True');
  });

  it('re-reconciles when the spec changes', async () => {
    await request('POST', ISVCS, {
      body: isvcWith('changing', { modelFormat: { name: 'cobol2' } }),
    });
    await eventually(() =>
      condition(
        statusOf('serving.kserve.io/v1beta1', 'InferenceService', 'changing'),
        'Ready',
      )?.status === 'False'
        ? true
        : undefined,
    );
    await request('PATCH', `${ISVCS}/changing`, {
      contentType: 'application/merge-patch+json',
      body: {
        spec: { predictor: { model: { modelFormat: { name: 'sklearn' } } } },
      },
    });
    const ready = await eventually(() => {
      const status = statusOf(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        'changing',
      );
      return condition(status, 'Ready')?.status === 'True' ? status : undefined;
    });
    expect(ready.observedGeneration).toBe(2);
  });
});

describe('controllers off', () => {
  it('leaves status alone', async () => {
    const quiet = await startKubeSandbox({ controllers: false });
    try {
      const client = createHttpClient(quiet.url);
      await client('POST', '/api/v1/namespaces', {
        body: { metadata: { name: 'models' } },
      });
      await client('POST', ISVCS, {
        body: isvcWith('idle', { modelFormat: { name: 'sklearn' } }),
      });
      await new Promise(resolve => setTimeout(resolve, 300));
      const stored = quiet.store.get(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        'models',
        'idle',
      ) as KubeObject;
      expect(stored.status).toBeUndefined();
    } finally {
      await quiet.close();
    }
  });
});

// Reading a model spec back from the InferenceService the portal applied, against the sandbox's
// server-side apply (its managedFields and defaults are what the check relies on).
import type { KubeSandbox } from '@internal/kube-sandbox';
import { sandboxWithClients } from '../__testUtils__';
import {
  ClusterClient,
  KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  ModelSpecInput,
  modelSpecSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { buildInferenceService } from './buildInferenceService';
import { readModelSpec } from './readModelSpec';
import type { InferenceServiceObject } from './types';

jest.setTimeout(60_000);

const PORTAL = 'inference-portal';
const NAMESPACE = 'tenant-a';

const SPECS: ModelSpecInput[] = [
  {
    name: 'iris',
    framework: 'sklearn',
    storageUri: 'gs://models/iris',
  },
  {
    name: 'iris-knative',
    framework: 'sklearn',
    storageUri: 'gs://models/iris',
    deploymentMode: 'Knative',
    minReplicas: 0,
    maxReplicas: 5,
    scaleMetric: 'rps',
    scaleTarget: 20,
    canaryTrafficPercent: 10,
    resources: {
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '1', memory: '2Gi' },
    },
  },
  { name: 'digits', framework: 'onnx', storageUri: 's3://models/digits' },
  {
    name: 'llm',
    framework: 'custom-openai',
    image: 'vllm/vllm-openai:v0.11.0',
    storageUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct',
    args: ['--port=8080', '--served-model-name=qwen'],
    resources: { limits: { memory: '8Gi' }, gpu: 1 },
    modelType: 'openai',
  },
];

describe('readModelSpec', () => {
  let sandbox: KubeSandbox;
  let portal: ClusterClient;
  let someoneElse: ClusterClient;

  beforeAll(async () => {
    let clients;
    ({ sandbox, clients } = await sandboxWithClients(NAMESPACE, [
      PORTAL,
      'kubectl',
    ] as const));
    portal = clients[PORTAL];
    someoneElse = clients.kubectl;
  });
  afterAll(() => sandbox?.close());

  const stored = async (name: string) =>
    (await portal.get<InferenceServiceObject>({
      ...KINDS.inferenceService,
      namespace: NAMESPACE,
      name,
    }))!;

  it.each(SPECS.map(s => [s.name, s] as const))(
    'reads back the spec %s was built from',
    async (name, input) => {
      const spec = modelSpecSchema.parse(input);
      await portal.apply(
        buildInferenceService(NAMESPACE, spec, { tenant: 'tenant-a' }),
      );
      expect(readModelSpec(await stored(name), 'tenant-a', PORTAL)).toEqual({
        ok: true,
        spec,
      });
    },
  );

  it('refuses an InferenceService changed by someone else since', async () => {
    const spec = modelSpecSchema.parse(SPECS[0]);
    await portal.apply(
      buildInferenceService(NAMESPACE, spec, { tenant: 'tenant-a' }),
    );
    await someoneElse.apply(
      {
        ...KINDS.inferenceService,
        metadata: { name: 'iris', namespace: NAMESPACE },
        spec: { predictor: { model: { storageUri: 'gs://models/other' } } },
      },
      { force: true },
    );
    const read = readModelSpec(await stored('iris'), 'tenant-a', PORTAL);
    expect(read).toEqual({
      ok: false,
      problem: expect.stringContaining('changed outside the portal'),
    });
  });

  it('refuses an InferenceService the portal did not create', async () => {
    await someoneElse.apply({
      ...KINDS.inferenceService,
      metadata: { name: 'by-hand', namespace: NAMESPACE },
      spec: {
        predictor: {
          model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://m' },
        },
      },
    });
    expect(readModelSpec(await stored('by-hand'), 'tenant-a', PORTAL)).toEqual({
      ok: false,
      problem: expect.stringContaining('not created by the portal'),
    });
  });

  it('refuses when the tenant label is not the one the portal would write', async () => {
    const spec = modelSpecSchema.parse({ ...SPECS[0], name: 'moved' });
    await portal.apply(
      buildInferenceService(NAMESPACE, spec, { tenant: 'tenant-a' }),
    );
    expect(readModelSpec(await stored('moved'), 'tenant-b', PORTAL).ok).toBe(
      false,
    );
  });
});

import {
  MODEL_FRAMEWORKS,
  modelSpecSchema,
  ModelSpecInput,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { loadCrdCatalog } from '@internal/kube-sandbox';
import {
  chartSources,
  pinnedServingRuntimes,
  supportingRuntimes,
} from '@internal/manifest-validator';
import {
  buildInferenceService,
  RUNTIME_METRICS,
  RUNTIME_METRICS_SOURCE,
} from './buildInferenceService';
import { KServeModelSpec } from './types';
import { detectModelType } from '../publication/build/detectModelType';

const catalog = loadCrdCatalog();
const build = (input: ModelSpecInput, tenant?: string) =>
  buildInferenceService('tenant-a', modelSpecSchema.parse(input), { tenant });

/** The runtime KServe picks for a predictor's model, from the pinned kserve-runtime-configs. */
const RUNTIMES = pinnedServingRuntimes();
const pickedRuntime = (model: KServeModelSpec) =>
  model.modelFormat
    ? supportingRuntimes(RUNTIMES, {
        ...model,
        modelFormat: model.modelFormat,
      })[0]
    : undefined;

const BUILT_IN = MODEL_FRAMEWORKS.filter(f => f !== 'custom-openai');

describe('buildInferenceService', () => {
  it('builds the sklearn iris sample with the form defaults', () => {
    expect(
      build(
        {
          name: 'sklearn-iris',
          framework: 'sklearn',
          storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
        },
        'tenant-a',
      ),
    ).toEqual({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: 'sklearn-iris',
        namespace: 'tenant-a',
        labels: {
          'app.kubernetes.io/managed-by': 'inference-portal',
          'inference.platform.io/model': 'sklearn-iris',
          'inference.platform.io/tenant': 'tenant-a',
        },
        annotations: {
          'serving.kserve.io/deploymentMode': 'Standard',
          'inference.platform.io/framework': 'sklearn',
        },
      },
      spec: {
        predictor: {
          annotations: {
            'prometheus.io/port': '8080',
            'prometheus.io/path': '/metrics',
          },
          minReplicas: 1,
          maxReplicas: 3,
          scaleMetric: 'cpu',
          scaleTarget: 60,
          model: {
            modelFormat: { name: 'sklearn' },
            storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
          },
        },
      },
    });
  });

  it('passes runtime args, resources, GPUs, Knative scaling and canary traffic', () => {
    const isvc = build({
      name: 't5',
      framework: 'huggingface',
      storageUri: 'hf://google-t5/t5-small',
      args: ['--model_name=t5', '--task=text2text_generation'],
      resources: {
        requests: { cpu: '1', memory: '2Gi' },
        limits: { cpu: '2', memory: '4Gi' },
        gpu: 1,
      },
      deploymentMode: 'Knative',
      minReplicas: 0,
      maxReplicas: 5,
      scaleTarget: 10,
      canaryTrafficPercent: 20,
      modelType: 'openai',
    });
    expect(isvc.metadata.annotations).toEqual({
      'serving.kserve.io/deploymentMode': 'Knative',
      'inference.platform.io/framework': 'huggingface',
      'inference.platform.io/model-type': 'openai',
    });
    expect(isvc.spec.predictor).toEqual({
      annotations: {
        'prometheus.io/port': '8080',
        'prometheus.io/path': '/metrics',
      },
      minReplicas: 0,
      maxReplicas: 5,
      scaleMetric: 'concurrency',
      scaleTarget: 10,
      canaryTrafficPercent: 20,
      model: {
        modelFormat: { name: 'huggingface' },
        storageUri: 'hf://google-t5/t5-small',
        args: ['--model_name=t5', '--task=text2text_generation'],
        resources: {
          requests: { cpu: '1', memory: '2Gi' },
          limits: { cpu: '2', memory: '4Gi', 'nvidia.com/gpu': '1' },
        },
      },
    });
  });

  it('runs a custom OpenAI container as the predictor container', () => {
    const isvc = build({
      name: 'qwen',
      framework: 'custom-openai',
      image: 'vllm/vllm-openai:v0.11.0',
      args: ['--model=/mnt/models', '--served-model-name=qwen', '--port=8080'],
      storageUri: 'hf://Qwen/Qwen2.5-0.5B-Instruct',
      resources: { gpu: 1 },
    });
    expect(isvc.spec.predictor.model).toBeUndefined();
    // No declared container port to name for Istio's metrics merge (see the builder).
    expect(isvc.spec.predictor).not.toHaveProperty('annotations');
    expect(isvc.spec.predictor.containers).toEqual([
      {
        name: 'kserve-container',
        image: 'vllm/vllm-openai:v0.11.0',
        args: [
          '--model=/mnt/models',
          '--served-model-name=qwen',
          '--port=8080',
        ],
        env: [
          { name: 'STORAGE_URI', value: 'hf://Qwen/Qwen2.5-0.5B-Instruct' },
        ],
        resources: { limits: { 'nvidia.com/gpu': '1' } },
      },
    ]);
    expect(detectModelType(isvc)).toBe('openai');
  });

  it.each<ModelSpecInput>([
    { name: 'iris', framework: 'sklearn', storageUri: 'gs://b/m' },
    {
      name: 'xgb',
      framework: 'xgboost',
      storageUri: 's3://b/m',
      minReplicas: 2,
      maxReplicas: 2,
      scaleMetric: 'memory',
    },
    { name: 'lgbm', framework: 'lightgbm', storageUri: 'pvc://models/lgbm' },
    {
      name: 'tf',
      framework: 'tensorflow',
      storageUri: 'gs://b/tf',
      resources: { limits: { cpu: '500m' } },
    },
    {
      name: 'resnet',
      framework: 'pytorch',
      storageUri:
        'gs://kfserving-examples/models/torchserve/image_classifier/v1',
      deploymentMode: 'Knative',
      canaryTrafficPercent: 10,
    },
    {
      name: 'onnx',
      framework: 'onnx',
      storageUri: 'oci://registry.local/models/onnx:1',
    },
    {
      name: 't5',
      framework: 'huggingface',
      storageUri: 'hf://google-t5/t5-small',
      args: ['--model_name=t5'],
    },
    {
      name: 'llm',
      framework: 'custom-openai',
      image: 'vllm/vllm-openai:latest',
      resources: { gpu: 2, requests: { memory: '8Gi' } },
    },
    {
      name: `m${'x'.repeat(43)}m`,
      framework: 'sklearn',
      storageUri: 'gs://b/m',
    },
  ])('validates against the InferenceService CRD: %p', spec => {
    expect(catalog.validate(build(spec, 'tenant-a'), { strict: true })).toEqual(
      [],
    );
  });

  it.each(BUILT_IN)(
    "names the metrics port and path of the runtime KServe picks for %s, as the pinned chart's runtime declares them",
    framework => {
      const isvc = build({ name: 'm', framework, storageUri: 'gs://b/m' });
      const model = isvc.spec.predictor.model!;
      const runtime = pickedRuntime(model);
      expect(runtime?.metadata.name).toBe(RUNTIME_METRICS[framework].runtime);
      const own = runtime?.spec.annotations ?? {};
      expect(own['prometheus.kserve.io/port']).toMatch(/^\d+$/);
      expect(own['prometheus.kserve.io/path']).toMatch(/^\//);
      expect(isvc.spec.predictor.annotations).toEqual({
        'prometheus.io/port': own['prometheus.kserve.io/port'],
        'prometheus.io/path': own['prometheus.kserve.io/path'],
      });
    },
  );

  it('cites the runtime list at the tag its pinned copy was taken from', () => {
    const row = chartSources().find(
      ({ file }) => file === `${RUNTIME_METRICS_SOURCE.file}.gz`,
    );
    expect(row?.tag).toBe(RUNTIME_METRICS_SOURCE.tag);
    expect(row?.url).toBe(RUNTIME_METRICS_SOURCE.url);
    expect(Object.keys(RUNTIME_METRICS).sort()).toEqual([...BUILT_IN].sort());
  });

  it('asks for protocol v2 for onnx, the only protocol any runtime serves it over', () => {
    const isvc = build({
      name: 'm',
      framework: 'onnx',
      storageUri: 'gs://b/m',
    });
    const model = isvc.spec.predictor.model!;
    expect(model.protocolVersion).toBe('v2');
    expect(
      pickedRuntime({ ...model, protocolVersion: undefined }),
    ).toBeUndefined();
    expect(pickedRuntime(model)?.metadata.name).toBe('kserve-tritonserver');
  });

  it('leaves the model-type annotation out unless overridden', () => {
    const isvc = build({
      name: 'iris',
      framework: 'sklearn',
      storageUri: 'gs://b/m',
    });
    expect(isvc.metadata.annotations).not.toHaveProperty(
      'inference.platform.io/model-type',
    );
    expect(isvc.metadata.labels).not.toHaveProperty(
      'inference.platform.io/tenant',
    );
  });
});

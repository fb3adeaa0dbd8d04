import { formatZodError } from './formatZodError';
import { modelSpecSchema } from './modelSpec';

const iris = {
  name: 'iris',
  framework: 'sklearn',
  storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
};

function errorsOf(body: unknown) {
  const result = modelSpecSchema.safeParse(body);
  return result.success ? [] : formatZodError(result.error);
}
function fieldsOf(body: unknown) {
  return errorsOf(body).map(e => e.field);
}

describe('modelSpecSchema', () => {
  it('applies the documented defaults', () => {
    expect(modelSpecSchema.parse(iris)).toEqual({
      ...iris,
      minReplicas: 1,
      maxReplicas: 3,
      scaleMetric: 'cpu',
      scaleTarget: 60,
      deploymentMode: 'Standard',
    });
  });

  it('defaults to concurrency scaling in Knative mode', () => {
    expect(
      modelSpecSchema.parse({ ...iris, deploymentMode: 'Knative' }).scaleMetric,
    ).toBe('concurrency');
  });

  it('rejects concurrency and rps scaling in Standard mode', () => {
    for (const scaleMetric of ['concurrency', 'rps']) {
      expect(fieldsOf({ ...iris, scaleMetric })).toEqual(['scaleMetric']);
      expect(
        errorsOf({ ...iris, scaleMetric, deploymentMode: 'Knative' }),
      ).toEqual([]);
    }
    expect(errorsOf({ ...iris, scaleMetric: 'memory' })).toEqual([]);
  });

  it('accepts a custom OpenAI container without storage', () => {
    expect(
      errorsOf({
        name: 'qwen',
        framework: 'custom-openai',
        image: 'vllm/vllm-openai:v0.11.0',
        args: [
          '--model',
          'Qwen/Qwen2.5-0.5B-Instruct',
          '--served-model-name=qwen',
        ],
        resources: { gpu: 1, limits: { cpu: '4', memory: '16Gi' } },
      }),
    ).toEqual([]);
  });

  it('limits names to 45-character DNS labels', () => {
    expect(errorsOf({ ...iris, name: 'm'.repeat(45) })).toEqual([]);
    expect(fieldsOf({ ...iris, name: 'm'.repeat(46) })).toEqual(['name']);
    expect(fieldsOf({ ...iris, name: 'Iris' })).toEqual(['name']);
    expect(fieldsOf({ ...iris, name: 'iris_v1' })).toEqual(['name']);
  });

  it.each([
    's3://bucket/model',
    'hf://google-t5/t5-small',
    'pvc://models/iris',
    'https://example.com/model.joblib',
    'oci://registry.example.com/models/iris:1',
  ])('accepts storage URI %p', storageUri => {
    expect(errorsOf({ ...iris, storageUri })).toEqual([]);
  });

  it.each([
    'file:///etc/passwd',
    'http://example.com/model',
    '/mnt/models',
    'gs://',
    'gs://bucket/with space',
    'GS://bucket/x',
  ])('rejects storage URI %p', storageUri => {
    expect(fieldsOf({ ...iris, storageUri })).toEqual(['storageUri']);
  });

  it('requires storage for built-in frameworks and an image for custom containers only', () => {
    expect(fieldsOf({ name: 'iris', framework: 'sklearn' })).toEqual([
      'storageUri',
    ]);
    expect(fieldsOf({ name: 'x', framework: 'custom-openai' })).toEqual([
      'image',
    ]);
    expect(fieldsOf({ ...iris, image: 'vllm/vllm-openai:latest' })).toEqual([
      'image',
    ]);
  });

  it('rejects unknown frameworks with the list of known ones', () => {
    expect(errorsOf({ ...iris, framework: 'caffe' })).toEqual([
      {
        field: 'framework',
        message:
          'must be one of sklearn, xgboost, lightgbm, tensorflow, pytorch, onnx, huggingface, custom-openai',
      },
    ]);
  });

  it('rejects control characters in runtime arguments', () => {
    expect(fieldsOf({ ...iris, args: ['--ok', 'bad\targ'] })).toEqual([
      'args.1',
    ]);
    expect(fieldsOf({ ...iris, args: ['x\ny'] })).toEqual(['args.0']);
  });

  it('validates quantities and requests against limits', () => {
    expect(
      errorsOf({
        ...iris,
        resources: {
          requests: { cpu: '500m', memory: '1Gi' },
          limits: { cpu: '1', memory: '2Gi' },
        },
      }),
    ).toEqual([]);
    expect(
      fieldsOf({ ...iris, resources: { requests: { cpu: '-1' } } }),
    ).toEqual(['resources.requests.cpu']);
    expect(
      fieldsOf({ ...iris, resources: { limits: { memory: '1 GB' } } }),
    ).toEqual(['resources.limits.memory']);
    expect(
      fieldsOf({
        ...iris,
        resources: { requests: { memory: '3Gi' }, limits: { memory: '2Gi' } },
      }),
    ).toEqual(['resources.requests.memory']);
    expect(fieldsOf({ ...iris, resources: { gpu: 9 } })).toEqual([
      'resources.gpu',
    ]);
    expect(fieldsOf({ ...iris, resources: { gpu: 1.5 } })).toEqual([
      'resources.gpu',
    ]);
  });

  it('checks replica bounds and their relation', () => {
    expect(fieldsOf({ ...iris, minReplicas: 4, maxReplicas: 3 })).toEqual([
      'maxReplicas',
    ]);
    expect(fieldsOf({ ...iris, maxReplicas: 0 })).toContain('maxReplicas');
    expect(fieldsOf({ ...iris, maxReplicas: 101 })).toEqual(['maxReplicas']);
    expect(fieldsOf({ ...iris, scaleTarget: 0 })).toEqual(['scaleTarget']);
    expect(fieldsOf({ ...iris, scaleTarget: 1001 })).toEqual(['scaleTarget']);
    expect(
      fieldsOf({
        ...iris,
        deploymentMode: 'Knative',
        canaryTrafficPercent: 101,
      }),
    ).toEqual(['canaryTrafficPercent']);
  });

  it('allows canary traffic only in Knative mode', () => {
    expect(fieldsOf({ ...iris, canaryTrafficPercent: 10 })).toEqual([
      'canaryTrafficPercent',
    ]);
    expect(
      errorsOf({
        ...iris,
        deploymentMode: 'Knative',
        canaryTrafficPercent: 10,
      }),
    ).toEqual([]);
  });

  it('allows scale to zero only in Knative mode', () => {
    expect(fieldsOf({ ...iris, minReplicas: 0 })).toEqual(['minReplicas']);
    expect(
      errorsOf({ ...iris, minReplicas: 0, deploymentMode: 'Knative' }),
    ).toEqual([]);
  });

  it('rejects unknown fields and bad enums', () => {
    expect(fieldsOf({ ...iris, replicas: 2 })).toEqual(['replicas']);
    expect(
      fieldsOf({ ...iris, resources: { requests: { gpu: '1' } } }),
    ).toEqual(['resources.requests.gpu']);
    expect(fieldsOf({ ...iris, scaleMetric: 'latency' })).toEqual([
      'scaleMetric',
    ]);
    expect(fieldsOf({ ...iris, deploymentMode: 'Serverless' })).toEqual([
      'deploymentMode',
    ]);
  });

  it.each([
    'vllm/vllm-openai:v0.11.0',
    'ghcr.io/huggingface/text-generation-inference:3.0',
    `registry.local:5000/team/llm@sha256:${'a'.repeat(64)}`,
  ])('accepts image %p', image => {
    expect(
      errorsOf({ name: 'llm', framework: 'custom-openai', image }),
    ).toEqual([]);
  });

  it.each([
    'VLLM/vllm',
    'vllm openai',
    'vllm/vllm-openai:latest\r\nX: y',
    'https://ghcr.io/x',
  ])('rejects image %p', image => {
    const fields = fieldsOf({ name: 'llm', framework: 'custom-openai', image });
    expect(new Set(fields)).toEqual(new Set(['image']));
  });
});

// Bad input, route by route: each request gets a 4xx that names the offending field, and the
// cluster holds exactly what it held before (not one write: the global resourceVersion is unchanged).
import { apiAs, createReadyModel } from '@internal/inference-test-utils';
import {
  InferenceTestBackend,
  startInferenceTestBackend,
} from '@internal/inference-test-utils';
import { inferencePlugin } from '../plugin';

jest.setTimeout(60_000);

const spec = {
  name: 'iris',
  framework: 'sklearn',
  storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
};
const publish = {
  publicModelName: 'iris',
  auth: { apiKey: true },
  limits: { requestsPerMinute: 60, requestsPerHour: 3600 },
};
const create = (overrides: object) => ({
  namespace: 'tenant-a',
  spec: { ...spec, name: 'new-model', ...overrides },
});
const withLimits = (limits: object) => ({ ...publish, limits });

type Case = [
  description: string,
  method: 'post' | 'put' | 'delete',
  path: string,
  body: object | undefined,
  status: number,
  field: string,
];

const M = '/models/local/tenant-a/iris';
const CASES: Case[] = [
  [
    'upper-case model name',
    'post',
    '/models',
    create({ name: 'Iris' }),
    400,
    'spec.name',
  ],
  [
    'model name with underscore',
    'post',
    '/models',
    create({ name: 'my_model' }),
    400,
    'spec.name',
  ],
  [
    'model name over 45 characters',
    'post',
    '/models',
    create({ name: 'a'.repeat(46) }),
    400,
    'spec.name',
  ],
  [
    'empty model name',
    'post',
    '/models',
    create({ name: '' }),
    400,
    'spec.name',
  ],
  [
    'unknown framework',
    'post',
    '/models',
    create({ framework: 'caffe' }),
    400,
    'spec.framework',
  ],
  [
    'file: storage URI',
    'post',
    '/models',
    create({ storageUri: 'file:///etc/passwd' }),
    400,
    'spec.storageUri',
  ],
  [
    'plain http storage URI',
    'post',
    '/models',
    create({ storageUri: 'http://example.com/m' }),
    400,
    'spec.storageUri',
  ],
  [
    'negative min replicas',
    'post',
    '/models',
    create({ minReplicas: -1 }),
    400,
    'spec.minReplicas',
  ],
  [
    'huge max replicas',
    'post',
    '/models',
    create({ maxReplicas: 100000 }),
    400,
    'spec.maxReplicas',
  ],
  [
    'max below min replicas',
    'post',
    '/models',
    create({ minReplicas: 3, maxReplicas: 2 }),
    400,
    'spec.maxReplicas',
  ],
  [
    'scale to zero outside Knative',
    'post',
    '/models',
    create({ minReplicas: 0 }),
    400,
    'spec.minReplicas',
  ],
  [
    'replicas as a string',
    'post',
    '/models',
    create({ maxReplicas: '3' }),
    400,
    'spec.maxReplicas',
  ],
  [
    'unknown spec field',
    'post',
    '/models',
    create({ gpuType: 'a100' }),
    400,
    'spec.gpuType',
  ],
  [
    'header injection in an argument',
    'post',
    '/models',
    create({ args: ['--x=1\r\nX-Evil: 1'] }),
    400,
    'spec.args.0',
  ],
  [
    'bad resource quantity',
    'post',
    '/models',
    create({ resources: { requests: { cpu: 'lots' } } }),
    400,
    'spec.resources.requests.cpu',
  ],
  [
    'custom container without image',
    'post',
    '/models',
    create({ framework: 'custom-openai', storageUri: undefined }),
    400,
    'spec.image',
  ],
  [
    'invalid namespace',
    'post',
    '/models',
    { namespace: 'Tenant_A', spec },
    400,
    'namespace',
  ],
  [
    'unknown top-level field',
    'post',
    '/models',
    { namespace: 'tenant-a', spec, owner: 'me' },
    400,
    'owner',
  ],
  [
    'bad dryRun value',
    'post',
    '/models?dryRun=maybe',
    create({}),
    400,
    'dryRun',
  ],
  [
    'invalid namespace in the path',
    'put',
    '/models/local/Tenant_A/iris',
    spec,
    400,
    'namespace',
  ],
  [
    'public name with a space',
    'put',
    `${M}/publication`,
    { ...publish, publicModelName: 'my model' },
    400,
    'publicModelName',
  ],
  [
    'public name over 63 characters',
    'put',
    `${M}/publication`,
    { ...publish, publicModelName: 'a'.repeat(64) },
    400,
    'publicModelName',
  ],
  [
    'zero requests per minute',
    'put',
    `${M}/publication`,
    withLimits({ requestsPerMinute: 0 }),
    400,
    'limits.requestsPerMinute',
  ],
  [
    'negative requests per minute',
    'put',
    `${M}/publication`,
    withLimits({ requestsPerMinute: -5 }),
    400,
    'limits.requestsPerMinute',
  ],
  [
    'fractional requests per minute',
    'put',
    `${M}/publication`,
    withLimits({ requestsPerMinute: 1.5 }),
    400,
    'limits.requestsPerMinute',
  ],
  [
    'requests per minute as a string',
    'put',
    `${M}/publication`,
    withLimits({ requestsPerMinute: '60' }),
    400,
    'limits.requestsPerMinute',
  ],
  [
    'huge requests per hour',
    'put',
    `${M}/publication`,
    withLimits({ requestsPerHour: 1e9 }),
    400,
    'limits.requestsPerHour',
  ],
  [
    'per minute above per hour',
    'put',
    `${M}/publication`,
    withLimits({ requestsPerMinute: 500, requestsPerHour: 100 }),
    400,
    'limits.requestsPerMinute',
  ],
  [
    'tokens per hour below the minimum',
    'put',
    `${M}/publication`,
    withLimits({ tokensPerHour: 10 }),
    400,
    'limits.tokensPerHour',
  ],
  [
    'token limit on a predictive model',
    'put',
    `${M}/publication`,
    withLimits({ tokensPerHour: 5000 }),
    400,
    'limits.tokensPerHour',
  ],
  [
    'unknown limit',
    'put',
    `${M}/publication`,
    withLimits({ requestsPerDay: 5 }),
    400,
    'limits.requestsPerDay',
  ],
  [
    'hostname outside the allowed list',
    'put',
    `${M}/publication`,
    { ...publish, hostname: 'evil.example.com' },
    400,
    'hostname',
  ],
  [
    'hostname with CRLF',
    'put',
    `${M}/publication`,
    { ...publish, hostname: 'a.inference-in-a-box\r\nx: y' },
    400,
    'hostname',
  ],
  [
    'API key turned off',
    'put',
    `${M}/publication`,
    { ...publish, auth: { apiKey: false } },
    400,
    'auth.apiKey',
  ],
  [
    'upper-case key name',
    'post',
    `${M}/publication/keys`,
    { name: 'Laptop' },
    400,
    'name',
  ],
  [
    'key name with a newline',
    'post',
    `${M}/publication/keys`,
    { name: 'a\nb' },
    400,
    'name',
  ],
  [
    'negative grace period',
    'post',
    `${M}/publication/keys/key-000000000000/rotate`,
    { graceSeconds: -1 },
    400,
    'graceSeconds',
  ],
  [
    'grace period over a week',
    'post',
    `${M}/publication/keys/key-000000000000/rotate`,
    { graceSeconds: 10_000_000 },
    400,
    'graceSeconds',
  ],
  [
    'malformed key id',
    'delete',
    `${M}/publication/keys/..%2F..%2Fsecrets`,
    undefined,
    400,
    'keyId',
  ],
  [
    'unknown test protocol',
    'post',
    `${M}/test`,
    { protocol: 'grpc', target: 'gateway' },
    400,
    'protocol',
  ],
  [
    'OpenAI protocol on a predictive model',
    'post',
    `${M}/test`,
    { protocol: 'openai-chat', target: 'gateway', body: {} },
    400,
    'protocol',
  ],
  [
    'oversized body',
    'put',
    `${M}/publication`,
    { ...publish, padding: 'x'.repeat(300 * 1024) },
    413,
    '',
  ],
];

describe('bad input', () => {
  let backend: InferenceTestBackend;
  let api: ReturnType<typeof apiAs>;
  let revision: string;

  beforeAll(async () => {
    backend = await startInferenceTestBackend(inferencePlugin);
    api = apiAs(backend, 'dev-a');
    await createReadyModel(api, 'tenant-a', spec);
    const published = await api.put(`${M}/publication`, publish);
    if (published.status !== 200)
      throw new Error(`publish failed: ${JSON.stringify(published.body)}`);
    await new Promise(r => setTimeout(r, 300)); // simulated controllers finish their status writes
    revision = backend.sandbox.store.resourceVersion();
  });
  afterAll(() => backend?.stop());

  it(`has at least 30 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)(
    '%s',
    async (_description, method, path, body, status, field) => {
      const response = await api[method](path, body);
      expect(response.status).toBe(status);
      const fields = (response.body.error.fields ?? []).map(
        (f: { field: string }) => f.field,
      );
      const named =
        fields.includes(field) ||
        String(response.body.error.message).includes(field);
      expect({
        named,
        fields,
        message: response.body.error.message,
      }).toMatchObject({ named: true });
      expect(backend.sandbox.store.resourceVersion()).toBe(revision);
    },
  );
});

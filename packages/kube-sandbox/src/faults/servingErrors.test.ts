import { KubeSandbox, startKubeSandbox } from '../sandbox';
import {
  apply,
  conditionOf,
  eventually,
  HttpRequest,
} from '../testUtils/controllerTestKit';
import { createHttpClient } from '../testUtils/httpClient';
import { isServingErrorsStorageUri } from './servingErrors';
import { sklearnInferenceServicesIn } from '../testUtils/sklearnInferenceService';

/**
 * The `serving-errors` storage URI fault (servingErrors.ts): the model becomes Ready as any
 * other, and the mock model server fails its inference requests with 500, told which model by
 * the gateway double's destination header, in both deployment modes and for each side of a
 * Knative canary.
 */

jest.setTimeout(30_000);

const NS = 'faults';
const DESTINATION = 'x-gateway-sandbox-destination';
const svc = (name: string) => `${name}.${NS}.svc.cluster.local`;

const inferenceService = sklearnInferenceServicesIn(NS);

/** The inference endpoints of the mock model server, as a client of each protocol calls them. */
const INFERENCE: Array<[string, unknown]> = [
  ['/v1/models/m:predict', { instances: [[1, 2, 3, 4]] }],
  [
    '/v2/models/m/infer',
    {
      inputs: [
        { name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] },
      ],
    },
  ],
  [
    '/v1/chat/completions',
    { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
  ],
  ['/openai/v1/completions', { model: 'm', prompt: 'hi' }],
  ['/v1/embeddings', { model: 'm', input: 'hi' }],
];

describe('the serving-errors storage URI fault', () => {
  let sandbox: KubeSandbox;
  let request: HttpRequest;

  async function send(
    path: string,
    options: { destination?: string; body?: unknown } = {},
  ) {
    const response = await fetch(`${sandbox.modelServerUrl}${path}`, {
      method: options.body === undefined ? 'GET' : 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.destination ? { [DESTINATION]: options.destination } : {}),
      },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: response.status, text: await response.text() };
  }

  /** Each inference endpoint's status for a destination. */
  async function inferenceStatuses(destination: string | undefined) {
    const statuses: Record<string, number> = {};
    for (const [path, body] of INFERENCE)
      statuses[path] = (await send(path, { destination, body })).status;
    return statuses;
  }

  const all = (status: number) =>
    Object.fromEntries(INFERENCE.map(([path]) => [path, status]));

  const readyOf = (name: string) =>
    conditionOf(
      sandbox.store.get(
        'serving.kserve.io/v1beta1',
        'InferenceService',
        NS,
        name,
      )?.status,
      'Ready',
    )?.status;

  const whenReady = (name: string) =>
    eventually(() => (readyOf(name) === 'True' ? true : undefined));

  beforeAll(async () => {
    sandbox = await startKubeSandbox({
      controllers: { readyDelayMs: 20 },
      modelServer: true,
    });
    request = createHttpClient(sandbox.url);
    await request('POST', '/api/v1/namespaces', {
      body: { metadata: { name: NS } },
    });
    await apply(
      request,
      inferenceService('broken', 'Standard', 'gs://serving-errors/iris'),
    );
    await apply(
      request,
      inferenceService('fine', 'Standard', 'gs://bucket/iris'),
    );
    await Promise.all([whenReady('broken'), whenReady('fine')]);
  });
  afterAll(() => sandbox?.close());

  it('recognises the storage URIs by their host', () => {
    for (const uri of [
      'gs://serving-errors/iris',
      's3://serving-errors/models/x',
      'https://serving-errors/model.joblib',
      'https://user@serving-errors:8443/m',
    ])
      expect([uri, isServingErrorsStorageUri(uri)]).toEqual([uri, true]);
    for (const uri of [
      'gs://bucket/serving-errors',
      'gs://serving-errors.example.com/iris',
      'gs://unreachable/iris',
      'pvc://serving-errors/iris',
    ])
      expect([uri, isServingErrorsStorageUri(uri)]).toEqual([
        uri,
        uri.startsWith('pvc://'),
      ]);
  });

  it('lets the model become Ready, its pods Ready, as any other', async () => {
    expect(readyOf('broken')).toBe('True');
    const pods = sandbox.store
      .list('v1', 'Pod', NS)
      .filter(
        p =>
          p.metadata.labels?.['serving.kserve.io/inferenceservice'] ===
          'broken',
      );
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods)
      expect(conditionOf(pod.status, 'Ready')?.status).toBe('True');
  });

  it("answers every inference request for the model with 500 and KServe's error body", async () => {
    expect(await inferenceStatuses(svc('broken-predictor'))).toEqual(all(500));
    const response = await send('/v1/models/m:predict', {
      destination: svc('broken-predictor'),
      body: { instances: [[1]] },
    });
    expect(JSON.parse(response.text)).toEqual({
      error: expect.stringMatching(/^RuntimeError : .*serving-errors/),
    });
  });

  it('still answers readiness, health and metadata, and fails nothing of another model or without a destination', async () => {
    for (const path of [
      '/v2/health/ready',
      '/v2/models/m/ready',
      '/v1/models/m',
      '/v1/models',
    ])
      expect([
        path,
        (await send(path, { destination: svc('broken-predictor') })).status,
      ]).toEqual([path, 200]);
    expect(await inferenceStatuses(svc('fine-predictor'))).toEqual(all(200));
    expect(await inferenceStatuses(undefined)).toEqual(all(200));
    expect(await inferenceStatuses(svc('nothing-here'))).toEqual(all(200));
  });

  it('fails only the revision of a Knative canary that serves from serving-errors', async () => {
    await apply(
      request,
      inferenceService('canary', 'Knative', 'gs://bucket/iris/v1'),
    );
    await whenReady('canary');
    await apply(
      request,
      inferenceService('canary', 'Knative', 'gs://serving-errors/iris/v2', {
        canaryTrafficPercent: 20,
      }),
    );
    await eventually(() =>
      sandbox.store.get(
        'apps/v1',
        'Deployment',
        NS,
        'canary-predictor-00002-deployment',
      )
        ? true
        : undefined,
    );
    await whenReady('canary');
    expect(await inferenceStatuses(svc('canary-predictor-00002'))).toEqual(
      all(500),
    );
    expect(await inferenceStatuses(svc('canary-predictor-00001'))).toEqual(
      all(200),
    );
  });
});

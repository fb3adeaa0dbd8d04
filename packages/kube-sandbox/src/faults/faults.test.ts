import { KubeSandbox, startKubeSandbox } from '../sandbox';
import { createHttpClient } from '../testUtils/httpClient';
import { FaultRegistry } from './faultInjector';
import { isUnreachableStorageUri } from './storageUriFailures';

let sandbox: KubeSandbox;
let request: ReturnType<typeof createHttpClient>;
const NAMESPACES = '/api/v1/namespaces';

beforeAll(async () => {
  sandbox = await startKubeSandbox({ controllers: false });
  request = createHttpClient(sandbox.url);
});

afterAll(() => sandbox.close());
afterEach(() => sandbox.faults.clear());

describe('fault injection', () => {
  it('answers an injected status as a Status object, the given number of times', async () => {
    sandbox.faults.add({
      method: 'GET',
      path: '/api/v1/namespaces/*',
      status: 503,
      times: 2,
    });
    const first = await request('GET', `${NAMESPACES}/default`);
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: 503,
      reason: 'ServiceUnavailable',
    });
    expect((await request('GET', `${NAMESPACES}/default`)).status).toBe(503);
    expect((await request('GET', `${NAMESPACES}/default`)).status).toBe(200);
    // the glob's single * does not cross segments
    sandbox.faults.add({ path: '/api/v1/namespaces/*', status: 500 });
    expect(
      (await request('GET', `${NAMESPACES}/default/configmaps`)).status,
    ).toBe(200);
  });

  it('only matches the given method', async () => {
    sandbox.faults.add({ method: 'POST', path: /namespaces/, status: 500 });
    expect((await request('GET', NAMESPACES)).status).toBe(200);
    expect(
      (await request('POST', NAMESPACES, { body: { metadata: { name: 'x' } } }))
        .status,
    ).toBe(500);
  });

  it('adds latency', async () => {
    const started = Date.now();
    await request('GET', NAMESPACES);
    const baseline = Date.now() - started;
    sandbox.faults.add({ path: NAMESPACES, delayMs: 300, times: 1 });
    const delayedStart = Date.now();
    const delayed = await request('GET', NAMESPACES);
    const elapsed = Date.now() - delayedStart;
    expect(delayed.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeGreaterThan(baseline + 200);
  });

  it('drops the connection', async () => {
    sandbox.faults.add({
      path: /^\/api\/v1\/namespaces\?/,
      drop: true,
      times: 1,
    });
    await expect(
      fetch(`${sandbox.url}${NAMESPACES}?limit=1`),
    ).rejects.toThrow();
    expect((await request('GET', `${NAMESPACES}?limit=1`)).status).toBe(200);
  });

  it('is configurable over HTTP at /_sandbox/faults', async () => {
    const added = await request('POST', '/_sandbox/faults', {
      body: { method: 'GET', path: '/version', status: 429, times: 1 },
    });
    expect(added.status).toBe(201);
    expect(added.body.faults).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/version',
        status: 429,
        remaining: 1,
      }),
    ]);
    expect((await request('GET', '/version')).status).toBe(429);
    expect((await request('GET', '/version')).status).toBe(200);

    await request('POST', '/_sandbox/faults', {
      body: { path: '^/version$', pathRegex: true, status: 500 },
    });
    expect((await request('GET', '/_sandbox/faults')).body.faults).toHaveLength(
      1,
    );
    await request('DELETE', '/_sandbox/faults');
    expect((await request('GET', '/version')).status).toBe(200);
    expect(
      (await request('POST', '/_sandbox/faults', { body: { status: 500 } }))
        .status,
    ).toBe(400);
  });
});

describe('FaultRegistry', () => {
  it('uses the first matching rule and forgets exhausted ones', () => {
    const faults = new FaultRegistry();
    faults.add({ path: '/apis/**', status: 500, times: 1 });
    faults.add({ path: '/apis/**', status: 503 });
    expect(faults.take('GET', '/apis/a/v1/x?watch=true')?.status).toBe(500);
    expect(faults.take('GET', '/apis/a/v1/x')?.status).toBe(503);
    expect(faults.take('GET', '/api/v1')).toBeUndefined();
    expect(() => faults.add({ path: '/', times: 0 })).toThrow(
      '"times" must be positive',
    );
  });
});

describe('unreachable storage URIs (the pod-failure convention)', () => {
  it('fails URIs whose host is `unreachable` or under `.invalid`, and nothing else', () => {
    for (const uri of [
      'gs://unreachable/iris',
      's3://unreachable/models/x',
      'https://models.invalid/model.joblib',
      'hf://unreachable/org/model',
    ]) {
      expect([uri, isUnreachableStorageUri(uri)]).toEqual([uri, true]);
    }
    for (const uri of [
      'gs://kfserving-examples/models/sklearn/1.0/model',
      'gs://bucket/unreachable',
      'https://unreachable.example.com/model',
      'pvc://unreachable/models',
      'oci://unreachable/model:1',
      'not a uri',
    ]) {
      expect([uri, isUnreachableStorageUri(uri)]).toEqual([uri, false]);
    }
  });
});

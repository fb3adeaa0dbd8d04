import { KubeSandbox, startKubeSandbox } from '../sandbox';
import { Kubectl } from '../testUtils/kubectl';
import {
  describeKubectl,
  startKubectlSandbox,
  stopKubectlSandbox,
} from '../testUtils/kubectlSandbox';
import { parseKubectlTable } from '../testUtils/kubectlTable';
import { createHttpClient, readWatchEvents } from '../testUtils/httpClient';
import { sample } from '../testUtils/sampleObjects';

jest.setTimeout(60000);

const AGE = /^\d+s$/;
const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describeKubectl('kubectl 1.32 prints the server-side tables', () => {
  let sandbox: KubeSandbox;
  let kubectl: Kubectl;

  /** `kubectl get <args>` as a parsed table; fails on any error output. */
  const get = async (...args: string[]) => {
    const result = await kubectl.run('get', ...args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return parseKubectlTable(result.stdout);
  };

  beforeAll(async () => {
    ({ sandbox, kubectl } = await startKubectlSandbox({
      controllers: { readyDelayMs: 50 },
    }));
    const applied = await kubectl.runWithManifest(
      ['apply', '--server-side'],
      'objects.yaml',
      [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models' } },
        sample('InferenceService'),
        sample('Secret'),
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: 'chat', namespace: 'models' },
          spec: { hostnames: ['chat.example.com', 'api.example.com'] },
        },
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'defaults', namespace: 'models' },
          spec: { limits: [{ type: 'Container', default: { cpu: '1' } }] },
        },
      ],
    );
    if (applied.code !== 0) throw new Error(applied.stderr);
    const waited = await kubectl.run(
      'wait',
      '--for=condition=Ready',
      'isvc/llama31-8b',
      '-n',
      'models',
      '--timeout=10s',
    );
    if (waited.code !== 0) throw new Error(waited.stderr);
  });

  afterAll(async () => {
    await stopKubectlSandbox(sandbox, kubectl);
  });

  it('prints the InferenceService printer columns with values for a Ready InferenceService', async () => {
    const table = await get('isvc', '-A');
    expect(table.headers).toEqual([
      'NAMESPACE',
      'NAME',
      'URL',
      'READY',
      'PREV',
      'LATEST',
      'PREVROLLEDOUTREVISION',
      'LATESTREADYREVISION',
      'AGE',
    ]);
    expect(table.rows).toEqual([
      {
        NAMESPACE: 'models',
        NAME: 'llama31-8b',
        URL: 'http://llama31-8b-models.example.com',
        READY: 'True',
        // A Standard (raw) deployment has no Knative traffic: the cells are null, printed blank.
        PREV: '',
        LATEST: '',
        PREVROLLEDOUTREVISION: '',
        LATESTREADYREVISION: '',
        AGE: expect.stringMatching(AGE),
      },
    ]);
    // The CRD declares no priority columns, so -o wide prints the same ones.
    const wide = await get('isvc', '-A', '-o', 'wide');
    expect(wide.headers).toEqual(table.headers);
    expect(wide.rows[0].URL).toBe('http://llama31-8b-models.example.com');

    const single = await get('isvc', 'llama31-8b', '-n', 'models');
    expect(single.rows).toEqual([
      expect.objectContaining({ NAME: 'llama31-8b', READY: 'True' }),
    ]);
  });

  it('prints HTTPRoute hostnames as Go JSON', async () => {
    const table = await get('httproutes', 'chat', '-n', 'models');
    expect(table.headers).toEqual(['NAME', 'HOSTNAMES', 'AGE']);
    expect(table.rows[0]).toEqual({
      NAME: 'chat',
      HOSTNAMES: '["chat.example.com","api.example.com"]',
      AGE: expect.stringMatching(AGE),
    });
  });

  it('prints pods, deployments, namespaces and secrets with the built-in printers', async () => {
    const pods = await get('pods', '-n', 'models');
    expect(pods.headers).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
    ]);
    expect(pods.rows).toEqual([
      {
        NAME: expect.stringMatching(
          /^llama31-8b-predictor-[a-z0-9]+-[a-z0-9]{5}$/,
        ),
        READY: '1/1',
        STATUS: 'Running',
        RESTARTS: '0',
        AGE: expect.stringMatching(AGE),
      },
    ]);
    const widePods = await get('pods', '-n', 'models', '-o', 'wide');
    expect(widePods.headers).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    expect(widePods.rows[0]).toMatchObject({
      IP: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      NODE: 'kube-sandbox',
      'NOMINATED NODE': '<none>',
      'READINESS GATES': '<none>',
    });

    const deployments = await get('deploy', '-n', 'models');
    expect(deployments.headers).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
    ]);
    expect(deployments.rows).toEqual([
      {
        NAME: 'llama31-8b-predictor',
        READY: '1/1',
        'UP-TO-DATE': '1',
        AVAILABLE: '1',
        AGE: expect.stringMatching(AGE),
      },
    ]);

    const namespaces = await get('ns');
    expect(namespaces.headers).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(namespaces.rows).toContainEqual({
      NAME: 'models',
      STATUS: 'Active',
      AGE: expect.stringMatching(AGE),
    });

    const secrets = await get('secrets', '-n', 'models');
    expect(secrets.headers).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(secrets.rows).toEqual([
      {
        NAME: 'models-api-keys',
        TYPE: 'Opaque',
        DATA: '2',
        AGE: expect.stringMatching(AGE),
      },
    ]);

    const services = await get('svc', '-n', 'models');
    expect(services.headers).toEqual([
      'NAME',
      'TYPE',
      'CLUSTER-IP',
      'EXTERNAL-IP',
      'PORT(S)',
      'AGE',
    ]);
    expect(services.rows[0]).toMatchObject({
      NAME: 'llama31-8b-predictor',
      TYPE: 'ClusterIP',
      'CLUSTER-IP': expect.stringMatching(/^10\.96\./),
      'EXTERNAL-IP': '<none>',
      'PORT(S)': '80/TCP',
    });
  });

  it('prints Name and Created At for a kind without a printer', async () => {
    const table = await get('limitranges', '-n', 'models');
    expect(table.headers).toEqual(['NAME', 'CREATED AT']);
    expect(table.rows[0]).toEqual({
      NAME: 'defaults',
      'CREATED AT': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
  });

  it('prints watch events as table rows (get -w)', async () => {
    const watcher = kubectl.spawn('get', 'ns', '-w', '--output-watch-events');
    let output = '';
    watcher.stdout!.on('data', chunk => {
      output += chunk;
    });
    try {
      await waitFor(() => /^ADDED\s+models\s+Active\s/m.test(output));
      const created = await kubectl.runWithManifest(['create'], 'ns2.yaml', [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } },
      ]);
      expect(created.code).toBe(0);
      await waitFor(() => /^ADDED\s+watched\s+Active\s/m.test(output));
      expect(
        output
          .split('\n')[0]
          .trim()
          .split(/\s{2,}/),
      ).toEqual(['EVENT', 'NAME', 'STATUS', 'AGE']);
    } finally {
      watcher.kill();
    }
  });
});

describe('Table responses over HTTP', () => {
  let sandbox: KubeSandbox;
  let request: ReturnType<typeof createHttpClient>;

  beforeAll(async () => {
    sandbox = await startKubeSandbox({ controllers: false });
    request = createHttpClient(sandbox.url);
    await request('POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'models', labels: { team: 'a' } } },
    });
  });

  afterAll(() => sandbox?.close());

  it('answers a Table with PartialObjectMetadata rows and its content type', async () => {
    const list = await request('GET', '/api/v1/namespaces?limit=1', {
      headers: { Accept: TABLE_ACCEPT },
    });
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toBe(
      'application/json;as=Table;v=v1;g=meta.k8s.io',
    );
    expect(list.body).toMatchObject({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: {
        resourceVersion: expect.any(String),
        continue: expect.any(String),
      },
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', priority: 0 },
        { name: 'Status', type: 'string', format: '', priority: 0 },
        { name: 'Age', type: 'string', format: '', priority: 0 },
      ],
    });
    expect(list.body.rows).toHaveLength(1);
    expect(list.body.rows[0].object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'default' },
    });
    expect(list.body.rows[0].object.spec).toBeUndefined();
  });

  it('honours includeObject and meta.k8s.io/v1beta1, and rejects unknown includeObject values', async () => {
    const v1beta1 = 'application/json;as=Table;v=v1beta1;g=meta.k8s.io';
    const one = await request(
      'GET',
      '/api/v1/namespaces/models?includeObject=Object',
      { headers: { Accept: v1beta1 } },
    );
    expect(one.body.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(one.body.rows[0].object).toMatchObject({
      kind: 'Namespace',
      metadata: { labels: { team: 'a' } },
      status: { phase: 'Active' },
    });
    const none = await request(
      'GET',
      '/api/v1/namespaces/models?includeObject=None',
      {
        headers: { Accept: v1beta1 },
      },
    );
    expect(none.body.rows[0].object).toBeNull();
    const bad = await request('GET', '/api/v1/namespaces?includeObject=All', {
      headers: { Accept: v1beta1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('unrecognized includeObject value: "All"');
    // Without a Table in Accept the objects themselves come back.
    const plain = await request('GET', '/api/v1/namespaces/models');
    expect(plain.body.kind).toBe('Namespace');
  });

  it('sends column definitions with the first watch event only', async () => {
    const existing = (await request('GET', '/api/v1/namespaces')).body.items;
    const url = `${sandbox.url}/api/v1/namespaces?watch=true`;
    const events = await readWatchEvents(url, existing.length + 1, {
      afterConnect: async () => {
        await request('POST', '/api/v1/namespaces', {
          body: { metadata: { name: 'late' } },
        });
      },
      headers: { Accept: TABLE_ACCEPT },
    });
    expect(events).toHaveLength(existing.length + 1);
    expect(events[events.length - 1]).toMatchObject({
      type: 'ADDED',
      object: { kind: 'Table', rows: [{ cells: ['late', 'Active', '0s'] }] },
    });
    expect(events[0].object.kind).toBe('Table');
    expect(events[0].object.columnDefinitions).toHaveLength(3);
    expect(events[0].object.rows).toHaveLength(1);
    for (const event of events.slice(1)) {
      expect(event.object.columnDefinitions).toBeNull();
      expect(event.object.rows).toHaveLength(1);
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error('timed out waiting for kubectl output');
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

import { KubeSandbox, startKubeSandbox } from '../sandbox';
import { createHttpClient } from '../testUtils/httpClient';
import { Kubectl } from '../testUtils/kubectl';
import {
  describeKubectl,
  startKubectlSandbox,
  stopKubectlSandbox,
} from '../testUtils/kubectlSandbox';

jest.setTimeout(60000);

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/**
 * kubectl's typed generators (`kubectl create namespace|secret|configmap|…`)
 * send protobuf bodies (client-go's typed clients prefer it for built-in
 * kinds) and accept a JSON answer.
 */
describeKubectl('kubectl create generators (protobuf bodies)', () => {
  let sandbox: KubeSandbox;
  let kubectl: Kubectl;

  beforeAll(async () => {
    ({ sandbox, kubectl } = await startKubectlSandbox({
      controllers: { readyDelayMs: 50 },
    }));
  });

  afterAll(async () => {
    await stopKubectlSandbox(sandbox, kubectl);
  });

  const create = async (...args: string[]) => {
    const result = await kubectl.run('create', ...args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout.trim();
  };

  it('receives protobuf from kubectl, not JSON (kubectl -v=8 logs the request headers)', async () => {
    for (const args of [
      ['namespace', 'team-proto'],
      ['secret', 'generic', 's', '--from-literal=a=b', '-n', 'team-proto'],
      ['configmap', 'c', '--from-literal=a=b', '-n', 'team-proto'],
    ]) {
      const result = await kubectl.run('create', ...args, '-v=8');
      expect(result.code).toBe(0);
      const requestTypes = result.stderr
        .split('\n')
        .filter(line => /\]\s+Content-Type: /.test(line))
        .map(line => line.replace(/^.*Content-Type: /, '').trim());
      // The request's header, then the JSON answer's.
      expect(requestTypes).toEqual([PROTOBUF, 'application/json']);
    }
  });

  it('creates a namespace, a generic secret, a config map and a service account', async () => {
    expect(await create('namespace', 'team-a')).toBe(
      'namespace/team-a created',
    );
    expect(
      sandbox.store.get('v1', 'Namespace', undefined, 'team-a'),
    ).toMatchObject({
      metadata: { name: 'team-a', uid: expect.any(String) },
      status: { phase: 'Active' },
    });

    expect(
      await create(
        'secret',
        'generic',
        'api-keys',
        '--from-literal=user=admin',
        '--from-literal=token=s3cr3t',
        '-n',
        'team-a',
      ),
    ).toBe('secret/api-keys created');
    expect(
      sandbox.store.get('v1', 'Secret', 'team-a', 'api-keys'),
    ).toMatchObject({
      type: 'Opaque',
      data: {
        user: Buffer.from('admin').toString('base64'),
        token: Buffer.from('s3cr3t').toString('base64'),
      },
    });

    expect(
      await create(
        'configmap',
        'settings',
        '--from-literal=mode=fast',
        '-n',
        'team-a',
      ),
    ).toBe('configmap/settings created');
    expect(
      sandbox.store.get('v1', 'ConfigMap', 'team-a', 'settings')?.data,
    ).toEqual({ mode: 'fast' });

    expect(await create('serviceaccount', 'robot', '-n', 'team-a')).toBe(
      'serviceaccount/robot created',
    );
    expect(
      sandbox.store.get('v1', 'ServiceAccount', 'team-a', 'robot')?.metadata,
    ).toMatchObject({ name: 'robot', namespace: 'team-a' });

    // What kubectl reads back is what was decoded.
    const read = await kubectl.run(
      'get',
      'secret',
      'api-keys',
      '-n',
      'team-a',
      '-o',
      'jsonpath={.data.user}',
    );
    expect(Buffer.from(read.stdout, 'base64').toString()).toBe('admin');
  });

  it('creates a deployment, a service and a quota with the labels the generators set', async () => {
    await create('namespace', 'team-b');
    expect(
      await create(
        'deployment',
        'web',
        '--image=nginx:1.27',
        '--port=8080',
        '--replicas=2',
        '-n',
        'team-b',
      ),
    ).toBe('deployment.apps/web created');
    const deployment = sandbox.store.get(
      'apps/v1',
      'Deployment',
      'team-b',
      'web',
    );
    expect(deployment).toMatchObject({
      metadata: { labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'nginx',
                image: 'nginx:1.27',
                ports: [{ containerPort: 8080 }],
              },
            ],
          },
        },
      },
    });

    expect(
      await create(
        'service',
        'clusterip',
        'web',
        '--tcp=80:8080',
        '-n',
        'team-b',
      ),
    ).toBe('service/web created');
    expect(sandbox.store.get('v1', 'Service', 'team-b', 'web')).toMatchObject({
      metadata: { labels: { app: 'web' } },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [
          { name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 },
        ],
      },
    });

    expect(
      await create('quota', 'small', '--hard=pods=4,cpu=2', '-n', 'team-b'),
    ).toBe('resourcequota/small created');
    expect(
      sandbox.store.get('v1', 'ResourceQuota', 'team-b', 'small')?.spec,
    ).toEqual({ hard: { cpu: '2', pods: '4' } });
  });

  it('validates decoded objects like JSON ones', async () => {
    const invalid = await kubectl.run('create', 'namespace', 'Not_Valid');
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('The Namespace "Not_Valid" is invalid');
    const duplicate = await kubectl.run('create', 'namespace', 'team-a');
    expect(duplicate.stderr.trim()).toBe(
      'Error from server (AlreadyExists): namespaces "team-a" already exists',
    );
  });
});

describe('protobuf bodies over HTTP', () => {
  let sandbox: KubeSandbox;
  let request: ReturnType<typeof createHttpClient>;

  beforeAll(async () => {
    sandbox = await startKubeSandbox({ controllers: false });
    request = createHttpClient(sandbox.url);
    await request('POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'models' } },
    });
  });

  afterAll(() => sandbox?.close());

  const post = (path: string, body: Buffer) =>
    fetch(`${sandbox.url}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': PROTOBUF,
        Accept: `${PROTOBUF},application/json`,
      },
      body,
    }).then(async r => ({
      status: r.status,
      type: r.headers.get('content-type'),
      body: await r.json(),
    }));

  it('answers 400 with a clear message for a body that is not protobuf', async () => {
    const result = await post(
      '/api/v1/namespaces/models/secrets',
      Buffer.from('{"metadata":{"name":"s"}}'),
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message:
        'the object provided is unrecognized (must be of type Secret): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]',
    });
    expect(sandbox.store.list('v1', 'Secret', 'models')).toEqual([]);
  });

  it('answers 415 for custom resources, which have no protobuf form', async () => {
    const result = await post(
      '/apis/serving.kserve.io/v1beta1/namespaces/models/inferenceservices',
      Buffer.from('k8s\0'),
    );
    expect(result.status).toBe(415);
    expect(result.body.reason).toBe('UnsupportedMediaType');
  });

  it('answers JSON to a protobuf create', async () => {
    // kubectl create configmap c --from-literal=a=b -n models, as kubectl 1.32 encodes it.
    const body = Buffer.from(
      '6b3873000a0f0a0276311209436f6e6669674d617012210a170a016312001a066d6f' +
        '64656c7322002a0032003800420012060a01611201621a002200',
      'hex',
    );
    const result = await post('/api/v1/namespaces/models/configmaps', body);
    expect(result.status).toBe(201);
    expect(result.type).toBe('application/json');
    expect(result.body).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'models' },
      data: { a: 'b' },
    });
  });
});

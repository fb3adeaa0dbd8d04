import { parse } from 'yaml';
import { KubeSandbox, startKubeSandbox } from '../sandbox';
import {
  Kubectl,
  requireKubectl,
  skipKubectlTests,
} from '../testUtils/kubectl';
import { sample } from '../testUtils/sampleObjects';

jest.setTimeout(60000);

// Without kubectl these tests fail (see requireKubectl) unless KUBE_SANDBOX_SKIP_KUBECTL=1.
const describeKubectl = skipKubectlTests ? describe.skip : describe;

/** The sample InferenceService the tests apply, read, change and delete, as kubectl arguments. */
const ISVC = ['isvc', 'llama31-8b', '-n', 'models'];

describeKubectl('kubectl 1.32 against the sandbox', () => {
  let sandbox: KubeSandbox;
  let kubectl: Kubectl;

  beforeAll(async () => {
    requireKubectl();
    sandbox = await startKubeSandbox({ controllers: { readyDelayMs: 200 } });
    kubectl = new Kubectl(sandbox);
    const created = await kubectl.runWithManifest(
      ['apply', '--server-side'],
      'ns.yaml',
      [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models' } }],
    );
    if (created.code !== 0)
      throw new Error(`namespace not created: ${created.stderr}`);
  });

  afterAll(async () => {
    await sandbox?.close();
    kubectl?.cleanup();
  });

  /** A field of the InferenceService, as `kubectl get -o jsonpath` prints it. */
  const isvcField = async (path: string) =>
    (await kubectl.run('get', ...ISVC, '-o', `jsonpath={${path}}`)).stdout;

  it('server-side applies an InferenceService, an AIGatewayRoute and a SecurityPolicy', async () => {
    const result = await kubectl.runWithManifest(
      ['apply', '--server-side'],
      'objects.yaml',
      [
        sample('InferenceService'),
        sample('AIGatewayRoute'),
        sample('SecurityPolicy', 'models-apikey'),
      ],
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'inferenceservice.serving.kserve.io/llama31-8b serverside-applied',
      'aigatewayroute.aigateway.envoyproxy.io/models serverside-applied',
      'securitypolicy.gateway.envoyproxy.io/models-apikey serverside-applied',
    ]);
  });

  it('gets objects as YAML and by label, including controller status', async () => {
    const yaml = await kubectl.run('get', ...ISVC, '-o', 'yaml');
    expect(yaml.code).toBe(0);
    const object = parse(yaml.stdout);
    expect(object).toMatchObject({
      kind: 'InferenceService',
      metadata: { name: 'llama31-8b', namespace: 'models', generation: 1 },
      spec: { predictor: { model: { modelFormat: { name: 'huggingface' } } } },
    });

    const labelled = await kubectl.run(
      'get',
      'aigatewayroutes,securitypolicies',
      '-n',
      'models',
      '-l',
      'app=demo',
      '-o',
      'name',
    );
    expect(labelled.stdout.trim().split('\n').sort()).toEqual([
      'aigatewayroute.aigateway.envoyproxy.io/models',
      'securitypolicy.gateway.envoyproxy.io/models-apikey',
    ]);
    const none = await kubectl.run(
      'get',
      'isvc',
      '-n',
      'models',
      '-l',
      'app=nothing',
    );
    expect(none.stderr.trim()).toBe('No resources found in models namespace.');

    const waited = await kubectl.run(
      'wait',
      '--for=condition=Ready',
      'isvc/llama31-8b',
      '-n',
      'models',
      '--timeout=10s',
    );
    expect(waited.stdout.trim()).toBe(
      'inferenceservice.serving.kserve.io/llama31-8b condition met',
    );
    expect(await isvcField('.status.url')).toBe(
      'http://llama31-8b-models.example.com',
    );
  });

  it('reports a field-manager conflict, then applies with --force-conflicts', async () => {
    const changed = sample('InferenceService');
    changed.spec.predictor.model.storageUri = 'hf://someone/else';
    const applyAsOther = (...flags: string[]) =>
      kubectl.runWithManifest(
        ['apply', '--server-side', '--field-manager=other', ...flags],
        'conflict.yaml',
        [changed],
      );
    const conflict = await applyAsOther();
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl" using serving.kserve.io/v1beta1: .spec.predictor.model.storageUri',
    );
    expect(conflict.stderr).toContain('--force-conflicts');

    const forced = await applyAsOther('--force-conflicts');
    expect(forced.code).toBe(0);
    expect(await isvcField('.spec.predictor.model.storageUri')).toBe(
      'hf://someone/else',
    );
  });

  it('rejects creating an invalid InferenceService, naming the field', async () => {
    const invalid = sample('InferenceService');
    invalid.metadata = { generateName: 'bad-', namespace: 'models' };
    delete invalid.spec.predictor;
    const result = await kubectl.runWithManifest(['create'], 'invalid.yaml', [
      invalid,
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /The InferenceService "bad-[a-z0-9]{5}" is invalid: spec\.predictor: Required value/,
    );

    const unknown = sample('InferenceService');
    unknown.metadata.name = 'unknown-field';
    unknown.spec.predictor.foo = 1;
    const strict = await kubectl.runWithManifest(['create'], 'unknown.yaml', [
      unknown,
    ]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain(
      'strict decoding error: unknown field "spec.predictor.foo"',
    );
  });

  it('sees an update through `get -w`', async () => {
    const watcher = kubectl.spawn(
      'get',
      'isvc',
      '-n',
      'models',
      '-w',
      '--output-watch-events',
    );
    let output = '';
    watcher.stdout!.on('data', chunk => {
      output += chunk;
    });
    watcher.stderr!.on('data', chunk => {
      output += chunk;
    });
    try {
      await waitFor(() => /^ADDED\s+llama31-8b\s/m.test(output), 10000);
      const seenBefore = output.length;
      const labelled = await kubectl.run('label', ...ISVC, 'watched=yes');
      expect(labelled.code).toBe(0);
      await waitFor(
        () => /^MODIFIED\s+llama31-8b\s/m.test(output.slice(seenBefore)),
        10000,
      );
    } finally {
      watcher.kill();
    }
  });

  it('deletes and waits until the object is gone', async () => {
    const deleted = await kubectl.run('delete', ...ISVC);
    expect(deleted.stdout.trim()).toBe(
      'inferenceservice.serving.kserve.io "llama31-8b" deleted',
    );
    const missing = await kubectl.run('get', ...ISVC);
    expect(missing.stderr.trim()).toBe(
      'Error from server (NotFound): inferenceservices.serving.kserve.io "llama31-8b" not found',
    );
    const noNamespace = await kubectl.run('get', 'isvc', 'x', '-n', 'nowhere');
    expect(noNamespace.stderr.trim()).toBe(
      'Error from server (NotFound): namespaces "nowhere" not found',
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error('timed out waiting for kubectl output');
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

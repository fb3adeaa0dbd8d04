import { parse } from 'yaml';
import { KubeSandbox } from '../sandbox';
import { Kubectl } from '../testUtils/kubectl';
import {
  describeKubectl,
  startKubectlSandbox,
  stopKubectlSandbox,
} from '../testUtils/kubectlSandbox';
import { sample } from '../testUtils/sampleObjects';

jest.setTimeout(60000);

/** The sample InferenceService the tests apply, read, change and delete, as kubectl arguments. */
const ISVC = ['isvc', 'llama31-8b', '-n', 'models'];

describeKubectl('kubectl 1.32 against the sandbox', () => {
  let sandbox: KubeSandbox;
  let kubectl: Kubectl;

  beforeAll(async () => {
    ({ sandbox, kubectl } = await startKubectlSandbox({
      controllers: { readyDelayMs: 200 },
    }));
    const created = await kubectl.runWithManifest(
      ['apply', '--server-side'],
      'ns.yaml',
      [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models' } }],
    );
    if (created.code !== 0)
      throw new Error(`namespace not created: ${created.stderr}`);
  });

  afterAll(async () => {
    await stopKubectlSandbox(sandbox, kubectl);
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

  it('lists the built-in kinds in api-resources with their names, short names and scope', async () => {
    const result = await kubectl.run('api-resources', '--no-headers');
    expect(result.code).toBe(0);
    // NAME SHORTNAMES APIVERSION NAMESPACED KIND, short names left out when there are none.
    const rows = result.stdout
      .trim()
      .split('\n')
      .map(line => line.trim().split(/\s+/).join(' '));
    expect(rows).toEqual(
      expect.arrayContaining([
        'pods po v1 true Pod',
        'services svc v1 true Service',
        'endpoints ep v1 true Endpoints',
        'persistentvolumeclaims pvc v1 true PersistentVolumeClaim',
        'persistentvolumes pv v1 false PersistentVolume',
        'nodes no v1 false Node',
        'replicationcontrollers rc v1 true ReplicationController',
        'deployments deploy apps/v1 true Deployment',
        'replicasets rs apps/v1 true ReplicaSet',
        'statefulsets sts apps/v1 true StatefulSet',
        'daemonsets ds apps/v1 true DaemonSet',
        'controllerrevisions apps/v1 true ControllerRevision',
        'jobs batch/v1 true Job',
        'cronjobs cj batch/v1 true CronJob',
        'horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler',
        'ingresses ing networking.k8s.io/v1 true Ingress',
        'ingressclasses networking.k8s.io/v1 false IngressClass',
        'networkpolicies netpol networking.k8s.io/v1 true NetworkPolicy',
        'poddisruptionbudgets pdb policy/v1 true PodDisruptionBudget',
        'roles rbac.authorization.k8s.io/v1 true Role',
        'rolebindings rbac.authorization.k8s.io/v1 true RoleBinding',
        'clusterroles rbac.authorization.k8s.io/v1 false ClusterRole',
        'clusterrolebindings rbac.authorization.k8s.io/v1 false ClusterRoleBinding',
        'leases coordination.k8s.io/v1 true Lease',
        'endpointslices discovery.k8s.io/v1 true EndpointSlice',
        'events ev events.k8s.io/v1 true Event',
      ]),
    );
    const all = await kubectl.run(
      'api-resources',
      '--categories=all',
      '-o',
      'name',
    );
    const inAll = all.stdout.trim().split('\n');
    expect(inAll).not.toContain('ingresses.networking.k8s.io');
    expect(inAll).toEqual(
      expect.arrayContaining([
        'cronjobs.batch',
        'daemonsets.apps',
        'deployments.apps',
        'horizontalpodautoscalers.autoscaling',
        'jobs.batch',
        'pods',
        'replicasets.apps',
        'replicationcontrollers',
        'services',
        'statefulsets.apps',
      ]),
    );
  });

  it('validates built-in kinds against their OpenAPI schemas, naming the field', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'models', labels: { app: 'web' } },
      spec: {
        replicas: 'three',
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    };
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'models' },
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'job', image: 'busybox' }],
              },
            },
          },
        },
      },
    };
    const invalid = await kubectl.runWithManifest(
      ['create'],
      'invalid-builtins.yaml',
      [deployment, cronJob],
    );
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain(
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    );
    expect(invalid.stderr).toContain(
      'CronJob.batch "nightly" is invalid: spec.schedule: Required value',
    );

    const valid = await kubectl.runWithManifest(
      ['apply', '--server-side'],
      'builtins.yaml',
      [
        { ...deployment, spec: { ...deployment.spec, replicas: 2 } },
        { ...cronJob, spec: { ...cronJob.spec, schedule: '0 1 * * *' } },
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'web', namespace: 'models' },
          spec: {
            scaleTargetRef: {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'web',
            },
            minReplicas: 1,
            maxReplicas: 4,
          },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'web', namespace: 'models' },
          spec: {
            rules: [
              {
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: {
                        service: { name: 'web', port: { number: 80 } },
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'web', namespace: 'models' },
          spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
        },
      ],
    );
    expect(valid.stderr).toBe('');
    expect(valid.stdout.trim().split('\n')).toEqual([
      'deployment.apps/web serverside-applied',
      'cronjob.batch/nightly serverside-applied',
      'horizontalpodautoscaler.autoscaling/web serverside-applied',
      'ingress.networking.k8s.io/web serverside-applied',
      'poddisruptionbudget.policy/web serverside-applied',
    ]);
    const byShortNames = await kubectl.run(
      'get',
      'deploy/web',
      'cj/nightly',
      'hpa/web',
      'ing/web',
      'pdb/web',
      '-n',
      'models',
      '-o',
      'name',
    );
    expect(byShortNames.stdout.trim().split('\n')).toEqual([
      'deployment.apps/web',
      'cronjob.batch/nightly',
      'horizontalpodautoscaler.autoscaling/web',
      'ingress.networking.k8s.io/web',
      'poddisruptionbudget.policy/web',
    ]);
    // The simulated Deployment and ReplicaSet controllers run the pods.
    let pods = '';
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline) {
      pods = (
        await kubectl.run(
          'get',
          'pods',
          '-n',
          'models',
          '-l',
          'app=web',
          '-o',
          'name',
        )
      ).stdout;
      if (pods.trim().split('\n').length === 2) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(pods.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^pod\/web-[bcdfghjklmnpqrstvwxz2456789]+-[a-z0-9]{5}$/,
      ),
      expect.stringMatching(
        /^pod\/web-[bcdfghjklmnpqrstvwxz2456789]+-[a-z0-9]{5}$/,
      ),
    ]);
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

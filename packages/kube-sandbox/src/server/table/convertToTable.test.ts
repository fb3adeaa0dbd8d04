import { ResourceRegistry } from '../../api/resourceRegistry';
import { loadCrdCatalog } from '../../schema/catalog';
import { KubeObject } from '../../store/types';
import { convertToTable } from './convertToTable';
import { goNumber } from './goFormat';
import { humanDuration } from './humanDuration';
import { TableRequest } from './tableMedia';

const registry = new ResourceRegistry(loadCrdCatalog());
const NOW = Date.parse('2025-06-01T12:00:00Z');
const CREATED = '2025-06-01T11:55:00Z'; // 5m before NOW
const REQUEST: TableRequest = {
  apiVersion: 'meta.k8s.io/v1',
  includeObject: 'Metadata',
  contentType: 'application/json;as=Table;v=v1;g=meta.k8s.io',
};

function table(apiVersion: string, kind: string, objects: object[]) {
  const served = registry.byKind(apiVersion, kind);
  if (!served) throw new Error(`${kind} is not served`);
  return convertToTable(served, objects as KubeObject[], REQUEST, {
    metadata: { resourceVersion: '7' },
    now: NOW,
  });
}

const headers = (t: ReturnType<typeof table>) =>
  t.columnDefinitions!.map(c => `${c.name}${c.priority ? '*' : ''}`);

describe('Tables of custom resources (CRD printer columns)', () => {
  it('prints the InferenceService columns with a Name column first and the age formatted', () => {
    const t = table('serving.kserve.io/v1beta1', 'InferenceService', [
      {
        metadata: { name: 'a', namespace: 'm', creationTimestamp: CREATED },
        status: {
          url: 'http://a-m.example.com',
          conditions: [{ type: 'Ready', status: 'True' }],
          components: {
            predictor: {
              traffic: [
                { latestRevision: true, percent: 100, revisionName: 'a-1' },
              ],
            },
          },
        },
      },
    ]);
    expect(headers(t)).toEqual([
      'Name',
      'URL',
      'Ready',
      'Prev',
      'Latest',
      'PrevRolledoutRevision',
      'LatestReadyRevision',
      'Age',
    ]);
    expect(t.columnDefinitions![0]).toMatchObject({
      type: 'string',
      format: 'name',
    });
    expect(t.rows[0].cells).toEqual([
      'a',
      'http://a-m.example.com',
      'True',
      null,
      100,
      null,
      'a-1',
      '5m',
    ]);
    expect(t.rows[0].object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'a', namespace: 'm', creationTimestamp: CREATED },
    });
    expect(t.metadata).toEqual({ resourceVersion: '7' });
  });

  it('prints array values as Go JSON and falls back to Age without printer columns', () => {
    const route = table('gateway.networking.k8s.io/v1', 'HTTPRoute', [
      {
        metadata: { name: 'r', creationTimestamp: CREATED },
        spec: { hostnames: ['a.example.com', 'b.example.com'] },
      },
    ]);
    expect(headers(route)).toEqual(['Name', 'Hostnames', 'Age']);
    expect(route.rows[0].cells).toEqual([
      'r',
      '["a.example.com","b.example.com"]',
      '5m',
    ]);

    const backend = registry.all().find(k => k.kind === 'AIServiceBackend')!;
    const withoutColumns = { ...backend.versions[0] };
    delete withoutColumns.additionalPrinterColumns;
    const defaulted = convertToTable(
      { kind: backend, version: withoutColumns },
      [{ metadata: { name: 'b', creationTimestamp: CREATED } } as KubeObject],
      REQUEST,
      { metadata: {}, now: NOW },
    );
    expect(headers(defaulted)).toEqual(['Name', 'Age']);
    expect(defaulted.rows[0].cells).toEqual(['b', '5m']);
  });
});

describe('Tables of built-in kinds (kubectl printers)', () => {
  it('computes pod readiness, status and restarts like printPod', () => {
    const pod = (status: object, extra: object = {}) => ({
      metadata: { name: 'p', creationTimestamp: CREATED },
      spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n1' },
      status,
      ...extra,
    });
    const t = table('v1', 'Pod', [
      pod({
        phase: 'Running',
        podIP: '10.0.0.1',
        containerStatuses: [
          {
            name: 'a',
            ready: true,
            restartCount: 2,
            state: { running: {} },
            lastState: { terminated: { finishedAt: '2025-06-01T11:59:00Z' } },
          },
          {
            name: 'b',
            ready: false,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      }),
      pod({ phase: 'Succeeded' }),
      pod(
        { phase: 'Running' },
        { metadata: { name: 'gone', deletionTimestamp: CREATED } },
      ),
    ]);
    expect(headers(t)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP*',
      'Node*',
      'Nominated Node*',
      'Readiness Gates*',
    ]);
    expect(t.rows[0].cells).toEqual([
      'p',
      '1/2',
      'CrashLoopBackOff',
      '2 (60s ago)',
      '5m',
      '10.0.0.1',
      'n1',
      '<none>',
      '<none>',
    ]);
    expect(t.rows[1].conditions).toEqual([
      expect.objectContaining({ type: 'Completed', reason: 'Succeeded' }),
    ]);
    expect(t.rows[2].cells.slice(0, 3)).toEqual(['gone', '0/2', 'Terminating']);
  });

  it('prints Deployments, Services, Secrets and Namespaces', () => {
    const deploy = table('apps/v1', 'Deployment', [
      {
        metadata: { name: 'd', creationTimestamp: CREATED },
        spec: {
          replicas: 3,
          selector: {
            matchLabels: { app: 'd' },
            matchExpressions: [
              { key: 'tier', operator: 'In', values: ['web', 'api'] },
            ],
          },
          template: {
            spec: {
              containers: [
                { name: 'a', image: 'img-a' },
                { name: 'b', image: 'img-b' },
              ],
            },
          },
        },
        status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
      },
    ]);
    expect(headers(deploy)).toEqual([
      'Name',
      'Ready',
      'Up-to-date',
      'Available',
      'Age',
      'Containers*',
      'Images*',
      'Selector*',
    ]);
    expect(deploy.rows[0].cells).toEqual([
      'd',
      '2/3',
      3,
      2,
      '5m',
      'a,b',
      'img-a,img-b',
      'app=d,tier in (api,web)',
    ]);

    const svc = table('v1', 'Service', [
      {
        metadata: { name: 's', creationTimestamp: CREATED },
        spec: {
          type: 'NodePort',
          clusterIP: '10.96.0.5',
          ports: [
            { port: 80, protocol: 'TCP', nodePort: 30080 },
            { port: 53, protocol: 'UDP' },
          ],
          selector: { b: '2', a: '1' },
        },
      },
      {
        metadata: { name: 'ext', creationTimestamp: CREATED },
        spec: { type: 'ExternalName', externalName: 'example.com' },
      },
    ]);
    expect(svc.rows.map(r => r.cells)).toEqual([
      [
        's',
        'NodePort',
        '10.96.0.5',
        '<none>',
        '80:30080/TCP,53/UDP',
        '5m',
        'a=1,b=2',
      ],
      [
        'ext',
        'ExternalName',
        '<none>',
        'example.com',
        '<none>',
        '5m',
        '<none>',
      ],
    ]);

    const secret = table('v1', 'Secret', [
      {
        metadata: { name: 'k', creationTimestamp: CREATED },
        type: 'Opaque',
        data: { a: 'YQ==', b: 'Yg==' },
      },
    ]);
    expect(headers(secret)).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(secret.rows[0].cells).toEqual(['k', 'Opaque', 2, '5m']);

    const ns = table('v1', 'Namespace', [
      {
        metadata: { name: 'n', creationTimestamp: CREATED },
        status: { phase: 'Active' },
      },
    ]);
    expect(ns.rows[0].cells).toEqual(['n', 'Active', '5m']);
  });

  it('prints the other workload and networking kinds', () => {
    const meta = (name: string) => ({ name, creationTimestamp: CREATED });
    const row = (apiVersion: string, kind: string, object: object) => {
      const t = table(apiVersion, kind, [object]);
      return Object.fromEntries(
        t.columnDefinitions!.map((c, i) => [c.name, t.rows[0].cells[i]]),
      );
    };
    expect(
      row('apps/v1', 'StatefulSet', {
        metadata: meta('db'),
        spec: { replicas: 3 },
        status: { readyReplicas: 1 },
      }),
    ).toMatchObject({ Name: 'db', Ready: '1/3', Age: '5m' });
    expect(
      row('apps/v1', 'DaemonSet', {
        metadata: meta('agent'),
        spec: {
          template: { spec: { nodeSelector: { os: 'linux' } } },
          selector: { matchLabels: { app: 'agent' } },
        },
        status: { desiredNumberScheduled: 2, numberReady: 1 },
      }),
    ).toMatchObject({
      Desired: 2,
      Ready: 1,
      'Node Selector': 'os=linux',
      Selector: 'app=agent',
    });
    expect(
      row('batch/v1', 'Job', {
        metadata: meta('once'),
        spec: { completions: 1 },
        status: {
          succeeded: 1,
          startTime: '2025-06-01T11:56:00Z',
          completionTime: '2025-06-01T11:56:30Z',
          conditions: [{ type: 'Complete', status: 'True' }],
        },
      }),
    ).toMatchObject({
      Status: 'Complete',
      Completions: '1/1',
      Duration: '30s',
    });
    expect(
      row('batch/v1', 'CronJob', {
        metadata: meta('nightly'),
        spec: { schedule: '0 3 * * *', suspend: false },
      }),
    ).toMatchObject({
      Schedule: '0 3 * * *',
      Timezone: '<none>',
      Suspend: 'False',
      Active: 0,
      'Last Schedule': '<none>',
    });
    expect(
      row('autoscaling/v2', 'HorizontalPodAutoscaler', {
        metadata: meta('web'),
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          minReplicas: 1,
          maxReplicas: 5,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: 80 },
              },
            },
          ],
        },
        status: { currentReplicas: 2 },
      }),
    ).toMatchObject({
      Reference: 'Deployment/web',
      Targets: 'cpu: <unknown>/80%',
      MinPods: '1',
      MaxPods: 5,
      Replicas: 2,
    });
    expect(
      row('networking.k8s.io/v1', 'Ingress', {
        metadata: meta('web'),
        spec: {
          ingressClassName: 'nginx',
          rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }],
          tls: [{ hosts: ['a.example.com'] }],
        },
        status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
      }),
    ).toMatchObject({
      Class: 'nginx',
      Hosts: 'a.example.com,b.example.com',
      Address: '192.0.2.1',
      Ports: '80, 443',
    });
    expect(
      row('rbac.authorization.k8s.io/v1', 'RoleBinding', {
        metadata: meta('readers'),
        roleRef: { kind: 'ClusterRole', name: 'view' },
        subjects: [
          { kind: 'Group', name: 'devs' },
          { kind: 'ServiceAccount', namespace: 'ci', name: 'bot' },
        ],
      }),
    ).toMatchObject({
      Role: 'ClusterRole/view',
      Users: '',
      Groups: 'devs',
      ServiceAccounts: 'ci/bot',
    });
    expect(
      row('policy/v1', 'PodDisruptionBudget', {
        metadata: meta('pdb'),
        spec: { minAvailable: '50%' },
        status: { disruptionsAllowed: 1 },
      }),
    ).toMatchObject({
      'Min Available': '50%',
      'Max Unavailable': 'N/A',
      'Allowed Disruptions': 1,
    });
  });

  it('gives kinds without a printer Name and Created At, as the default convertor', () => {
    const t = table('v1', 'LimitRange', [
      { metadata: { name: 'l', creationTimestamp: CREATED } },
    ]);
    expect(t.columnDefinitions!.map(c => [c.name, c.type])).toEqual([
      ['Name', 'string'],
      ['Created At', 'date'],
    ]);
    expect(t.rows[0].cells).toEqual(['l', CREATED]);
  });

  it('leaves out the object or sends it whole, per includeObject', () => {
    const served = registry.byKind('v1', 'ConfigMap')!;
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', creationTimestamp: CREATED },
      data: { a: '1' },
      binaryData: { b: 'Yg==' },
    } as KubeObject;
    const none = convertToTable(
      served,
      [cm],
      { ...REQUEST, includeObject: 'None' },
      { metadata: {}, now: NOW },
    );
    expect(none.rows[0]).toEqual({ cells: ['c', 2, '5m'], object: null });
    const whole = convertToTable(
      served,
      [cm],
      { ...REQUEST, includeObject: 'Object' },
      { metadata: {}, noHeaders: true, now: NOW },
    );
    expect(whole.rows[0].object).toBe(cm);
    expect(whole.columnDefinitions).toBeNull();
  });
});

describe('Go formatting', () => {
  it('formats durations like duration.HumanDuration', () => {
    const s = 1000;
    expect(humanDuration(-1500)).toBe('0s');
    expect(humanDuration(-3 * s)).toBe('<invalid>');
    expect(humanDuration(119 * s)).toBe('119s');
    expect(humanDuration(150 * s)).toBe('2m30s');
    expect(humanDuration(600 * s)).toBe('10m');
    expect(humanDuration(3 * 3600 * s + 5 * 60 * s)).toBe('3h5m');
    expect(humanDuration(30 * 3600 * s)).toBe('30h');
    expect(humanDuration(3 * 86400 * s + 4 * 3600 * s)).toBe('3d4h');
    expect(humanDuration(400 * 86400 * s)).toBe('400d');
    expect(humanDuration(3 * 365 * 86400 * s + 10 * 86400 * s)).toBe('3y10d');
  });

  it('prints numbers like fmt.Sprint of int64 and float64', () => {
    expect(goNumber(42)).toBe('42');
    expect(goNumber(0.5)).toBe('0.5');
    expect(goNumber(1234567.5)).toBe('1.2345675e+06');
    expect(goNumber(0.00001)).toBe('1e-05');
  });
});

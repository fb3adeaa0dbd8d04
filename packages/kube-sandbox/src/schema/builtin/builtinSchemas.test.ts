import { BUILTIN_KINDS } from '../builtinKinds';
import { loadCrdCatalog } from '../catalog';
import { CrdCatalog } from '../types';
import { definitionSchema } from './structuralSchema';

let catalog: CrdCatalog;

beforeAll(() => {
  catalog = loadCrdCatalog();
});

const meta = { name: 'x', namespace: 'default' };
const podTemplate = {
  metadata: { labels: { app: 'x' } },
  spec: { containers: [{ name: 'main', image: 'nginx' }] },
};

/** The causes of an object, as `[field, reason]` pairs. */
function problems(object: object, strict = false) {
  return catalog
    .validate(object, { strict })
    .map(cause => [cause.field, cause.reason]);
}

describe('built-in schemas from kubernetes-models (Kubernetes v1.27.1)', () => {
  it('has a structural schema for every served built-in kind', () => {
    for (const kind of BUILTIN_KINDS) {
      const schema = kind.schema(kind.versions[0].name);
      expect([kind.kind, schema?.type]).toEqual([kind.kind, 'object']);
      expect(Object.keys(schema?.properties ?? {}).length).toBeGreaterThan(3);
    }
  });

  it('accepts valid objects of each group', () => {
    const valid = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'x' } },
          template: podTemplate,
          strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
        },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta,
        spec: {
          schedule: '*/5 * * * *',
          jobTemplate: { spec: { template: podTemplate } },
        },
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta,
        spec: {
          scaleTargetRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'x',
          },
          maxReplicas: 3,
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
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta,
        spec: {
          containers: [
            {
              name: 'main',
              image: 'nginx',
              resources: {
                requests: { cpu: 0.5, memory: '256Mi' },
                limits: { cpu: '1' },
              },
              ports: [{ containerPort: 8080, name: 'http' }],
            },
          ],
        },
      },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta,
        spec: { minAvailable: '50%' },
      },
    ];
    for (const object of valid) expect(problems(object, true)).toEqual([]);
  });

  it('apps/v1: a Deployment with spec.replicas "three" names the field and type', () => {
    const causes = catalog.validate({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        replicas: 'three',
        selector: { matchLabels: { app: 'x' } },
        template: podTemplate,
      },
    });
    expect(causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.replicas',
        message:
          'Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
    ]);
  });

  it.each<{ title: string; object: object; expected: string[][] }>([
    {
      title:
        'batch/v1: a CronJob needs spec.schedule, and containers need names',
      object: {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta,
        spec: {
          jobTemplate: {
            spec: { template: { spec: { containers: [{ image: 'x' }] } } },
          },
        },
      },
      expected: [
        [
          'spec.jobTemplate.spec.template.spec.containers[0].name',
          'FieldValueRequired',
        ],
        ['spec.schedule', 'FieldValueRequired'],
      ],
    },
    {
      title: 'autoscaling/v2: a HorizontalPodAutoscaler needs maxReplicas',
      object: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta,
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' } },
      },
      expected: [['spec.maxReplicas', 'FieldValueRequired']],
    },
    {
      title: 'policy/v1: maxUnavailable is an int-or-string',
      object: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta,
        spec: { maxUnavailable: true },
      },
      expected: [['spec.maxUnavailable', 'FieldValueTypeInvalid']],
    },
    {
      title: 'rbac.authorization.k8s.io/v1: a Role rule needs verbs',
      object: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: meta,
        rules: [{ apiGroups: [''], resources: ['pods'] }],
      },
      expected: [['rules[0].verbs', 'FieldValueRequired']],
    },
  ])('$title', ({ object, expected }) => {
    expect(problems(object)).toEqual(expected);
  });

  it('networking.k8s.io/v1: an Ingress pathType outside the enum is not supported', () => {
    const causes = catalog.validate({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta,
      spec: {
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Sometimes',
                  backend: { service: { name: 's', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
    expect(causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.rules[0].http.paths[0].pathType',
        message:
          'Unsupported value: "Sometimes": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      },
    ]);
  });

  it('coordination, discovery and events.k8s.io: types and required fields', () => {
    expect(
      problems({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: meta,
        spec: { leaseDurationSeconds: '15' },
      }),
    ).toEqual([['spec.leaseDurationSeconds', 'FieldValueTypeInvalid']]);
    expect(
      problems({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: meta,
      }),
    ).toEqual([
      ['addressType', 'FieldValueRequired'],
      ['endpoints', 'FieldValueRequired'],
    ]);
    expect(
      problems({
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: meta,
      }),
    ).toEqual([['eventTime', 'FieldValueRequired']]);
  });

  it('core/v1: quantities, ports, base64 data and unknown fields', () => {
    expect(
      problems({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta,
        spec: {
          containers: [
            {
              name: 'main',
              resources: { limits: { cpu: 'lots' } },
              ports: [{ containerPort: 'http' }],
            },
          ],
        },
      }),
    ).toEqual([
      ['spec.containers[0].resources.limits.cpu', 'FieldValueInvalid'],
      ['spec.containers[0].ports[0].containerPort', 'FieldValueTypeInvalid'],
    ]);
    expect(
      problems(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: meta,
          data: { token: 'not base64!' },
          extra: 1,
        },
        true,
      ),
    ).toEqual([
      ['extra', 'UnknownField'],
      ['data.token', 'FieldValueTypeInvalid'],
    ]);
    expect(
      problems(
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: meta,
          spec: { type: 'Weird', ports: [{ port: 80, targetPort: 'http' }] },
        },
        true,
      ),
    ).toEqual([['spec.type', 'FieldValueNotSupported']]);
  });

  it('keeps embedded raw JSON (ControllerRevision.data) unpruned', () => {
    expect(
      definitionSchema('io.k8s.apimachinery.pkg.runtime.RawExtension'),
    ).toEqual({
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(
      problems(
        {
          apiVersion: 'apps/v1',
          kind: 'ControllerRevision',
          metadata: meta,
          revision: 1,
          data: { spec: { anything: ['goes'] } },
        },
        true,
      ),
    ).toEqual([]);
  });
});

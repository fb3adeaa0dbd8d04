import { isCoreKind, toFieldPath, validateCoreObject } from './coreKinds';

describe('validateCoreObject', () => {
  const deployment = (container: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: {
      selector: { matchLabels: { app: 'x' } },
      template: {
        metadata: { labels: { app: 'x' } },
        spec: { containers: [container] },
      },
    },
  });

  it('knows the built-in kinds the platform uses, and not custom resources', () => {
    expect(isCoreKind('apps/v1', 'StatefulSet')).toBe(true);
    expect(
      isCoreKind('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'),
    ).toBe(true);
    expect(isCoreKind('networking.k8s.io/v1', 'NetworkPolicy')).toBe(true);
    expect(isCoreKind('v1', 'LimitRange')).toBe(true);
    expect(isCoreKind('apps/v1beta1', 'Deployment')).toBe(false);
    expect(isCoreKind('serving.kserve.io/v1beta1', 'InferenceService')).toBe(
      false,
    );
  });

  it('accepts a valid object', () => {
    expect(validateCoreObject(deployment({ name: 'c', image: 'i' }))).toEqual(
      [],
    );
  });

  it('reports a malformed quantity once, as a format problem', () => {
    const issues = validateCoreObject(
      deployment({
        name: 'c',
        image: 'i',
        resources: { limits: { memory: '1 GB' } },
      }),
    );
    expect(issues).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.template.spec.containers[0].resources.limits.memory',
        message: expect.stringContaining('quantity'),
      },
    ]);
  });

  it('reports wrong types and unsupported enum values', () => {
    const issues = validateCoreObject({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: '80' }], sessionAffinity: 'Sticky' },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: 'FieldValueTypeInvalid',
          field: 'spec.ports[0].port',
        }),
        expect.objectContaining({
          reason: 'FieldValueNotSupported',
          field: 'spec.sessionAffinity',
        }),
      ]),
    );
  });

  it('reports unknown fields inside maps and lists of typed values', () => {
    const issues = validateCoreObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r', namespace: 'n' },
      rules: [
        {
          apiGroups: [''],
          resources: ['pods'],
          verbs: ['get'],
          namespaces: ['n'],
        },
      ],
    });
    expect(issues).toEqual([
      {
        reason: 'UnknownField',
        field: 'rules[0].namespaces',
        message: 'unknown field "rules[0].namespaces"',
      },
    ]);
  });
});

describe('toFieldPath', () => {
  it('turns JSON pointers into Kubernetes field paths', () => {
    expect(toFieldPath('')).toBe('');
    expect(toFieldPath('/spec/containers/0/env/1/name')).toBe(
      'spec.containers[0].env[1].name',
    );
    expect(toFieldPath('/metadata/labels/app.kubernetes.io~1name')).toBe(
      'metadata.labels.app.kubernetes.io/name',
    );
  });
});

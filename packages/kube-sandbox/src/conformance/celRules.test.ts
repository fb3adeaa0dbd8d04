import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeSandbox } from '../sandbox';
import { createHttpClient } from '../testUtils/httpClient';
import { Kubectl } from '../testUtils/kubectl';
import {
  describeKubectl,
  startKubectlSandbox,
  stopKubectlSandbox,
} from '../testUtils/kubectlSandbox';
import { sample, SampleObject } from '../testUtils/sampleObjects';

jest.setTimeout(60000);

const NAMESPACE = 'models';

/** The publication builders' golden output (plugins/inference-backend), if present. */
const GOLDEN_DIR = path.resolve(
  __dirname,
  '../../../../plugins/inference-backend/src/publication/build/__golden__',
);

function goldenObjects(): SampleObject[] {
  if (!fs.existsSync(GOLDEN_DIR)) return [];
  return fs
    .readdirSync(GOLDEN_DIR)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(GOLDEN_DIR, f), 'utf8')).map(
        d => d.toJS() as SampleObject,
      ),
    )
    .filter(o => o && typeof o.kind === 'string');
}

function httpRoute(pathValue: string): SampleObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'models', namespace: NAMESPACE },
    spec: {
      parentRefs: [{ name: 'ai-gateway' }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: pathValue } }],
          backendRefs: [{ name: 'llama31-8b-predictor', port: 80 }],
        },
      ],
    },
  };
}

/** The four rules of the issue, each with the upstream CRD's message. */
const REJECTED: [string, () => SampleObject, string, string][] = [
  [
    'an HTTPRoute PathPrefix match value not starting with /',
    () => httpRoute('v1/models'),
    'spec.rules[0].matches[0].path',
    `Invalid value: "object": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']`,
  ],
  [
    'a SecurityPolicy with both targetRef and targetRefs',
    () => {
      const policy = sample('SecurityPolicy', 'models-apikey');
      policy.spec.targetRef = policy.spec.targetRefs[0];
      return policy;
    },
    'spec',
    'Invalid value: "object": either targetRef or targetRefs must be used',
  ],
  [
    'an AIGatewayRoute rule named route-not-found',
    () => {
      const route = sample('AIGatewayRoute');
      route.spec.rules[0].name = 'route-not-found';
      return route;
    },
    'spec.rules[0]',
    'Invalid value: "object": rule name route-not-found is reserved',
  ],
  [
    'an AIGatewayRoute parentRef whose kind is not Gateway',
    () => {
      const route = sample('AIGatewayRoute');
      route.spec.parentRefs[0].kind = 'Service';
      return route;
    },
    'spec.parentRefs',
    'Invalid value: "array": only Gateway is supported',
  ],
];

function resourcePath(object: SampleObject, plural: string): string {
  return `/apis/${object.apiVersion}/namespaces/${NAMESPACE}/${plural}/${object.metadata.name}`;
}

const PLURALS: Record<string, string> = {
  HTTPRoute: 'httproutes',
  SecurityPolicy: 'securitypolicies',
  AIGatewayRoute: 'aigatewayroutes',
};

describeKubectl('CEL rules (x-kubernetes-validations) of the real CRDs', () => {
  let sandbox: KubeSandbox;
  let kubectl: Kubectl;
  let request: ReturnType<typeof createHttpClient>;

  beforeAll(async () => {
    ({ sandbox, kubectl } = await startKubectlSandbox({ controllers: false }));
    request = createHttpClient(sandbox.url);
    await request('POST', '/api/v1/namespaces', {
      body: { metadata: { name: NAMESPACE } },
    });
  });

  afterAll(async () => {
    await stopKubectlSandbox(sandbox, kubectl);
  });

  const dryRunApply = (name: string, objects: object[]) =>
    kubectl.runWithManifest(
      ['apply', '--server-side', '--dry-run=server'],
      name,
      objects,
    );

  it.each(REJECTED)(
    'rejects %s (kubectl apply --server-side --dry-run=server)',
    async (_label, build, field, message) => {
      const object = build();
      const result = await dryRunApply('rejected.yaml', [object]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        `The ${object.kind} "${object.metadata.name}" is invalid: ${field}: ${message}`,
      );

      const http = await request(
        'PATCH',
        `${resourcePath(
          object,
          PLURALS[object.kind],
        )}?fieldManager=test&dryRun=All`,
        { contentType: 'application/apply-patch+yaml', body: object },
      );
      expect(http.status).toBe(422);
      expect(http.body).toMatchObject({ reason: 'Invalid', code: 422 });
      expect(http.body.details.causes).toContainEqual({
        reason: 'FieldValueInvalid',
        field,
        message,
      });
    },
  );

  it('accepts the same objects when the rules hold', async () => {
    const valid = [
      httpRoute('/v1/models'),
      sample('SecurityPolicy', 'models-apikey'),
      sample('AIGatewayRoute'),
    ];
    const result = await dryRunApply('valid.yaml', valid);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toHaveLength(valid.length);
  });

  it('accepts every golden publication object of the backend', async () => {
    const objects = goldenObjects();
    expect(objects.length).toBeGreaterThan(10);
    const namespaces = [...new Set(objects.map(o => o.metadata.namespace))];
    for (const name of namespaces) {
      await request('POST', '/api/v1/namespaces', {
        body: { metadata: { name } },
      });
    }
    const result = await dryRunApply('golden.yaml', objects);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toHaveLength(objects.length);
  });

  it('evaluates the rules on create, update, merge and JSON patch, also as dry runs', async () => {
    const routePath = resourcePath(httpRoute('/'), 'httproutes');
    const created = await request(
      'POST',
      `/apis/gateway.networking.k8s.io/v1/namespaces/${NAMESPACE}/httproutes`,
      { body: httpRoute('/v1') },
    );
    expect(created.status).toBe(201);
    const bad = {
      op: 'replace',
      path: '/spec/rules/0/matches/0/path/value',
      value: 'v2',
    };
    const attempts = [
      request(
        'POST',
        `/apis/gateway.networking.k8s.io/v1/namespaces/${NAMESPACE}/httproutes?dryRun=All`,
        {
          body: { ...httpRoute('x'), metadata: { name: 'other' } },
        },
      ),
      request('PUT', `${routePath}?dryRun=All`, {
        body: {
          ...httpRoute('v2'),
          metadata: { ...created.body.metadata },
        },
      }),
      request('PUT', routePath, {
        body: { ...httpRoute('v2'), metadata: { ...created.body.metadata } },
      }),
      request('PATCH', routePath, {
        contentType: 'application/merge-patch+json',
        body: { spec: { rules: [httpRoute('v2').spec.rules[0]] } },
      }),
      request('PATCH', `${routePath}?dryRun=All`, {
        contentType: 'application/json-patch+json',
        body: [bad],
      }),
      request('PATCH', `${routePath}?fieldManager=other&force=true`, {
        contentType: 'application/apply-patch+yaml',
        body: httpRoute('v2'),
      }),
    ];
    for (const attempt of await Promise.all(attempts)) {
      expect(attempt.status).toBe(422);
      expect(attempt.body.details.causes).toEqual([
        expect.objectContaining({ field: 'spec.rules[0].matches[0].path' }),
      ]);
    }
    const stored = await request('GET', routePath);
    expect(stored.body.spec.rules[0].matches[0].path.value).toBe('/v1');
  });

  it('runs transition rules (oldSelf) on updates only', async () => {
    const gatewayClass = (controllerName: string) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'eg' },
      spec: { controllerName },
    });
    const created = await kubectl.runWithManifest(
      ['apply', '--server-side'],
      'class.yaml',
      [gatewayClass('gateway.envoyproxy.io/gatewayclass-controller')],
    );
    expect(created.stderr).toBe('');
    const changed = await kubectl.runWithManifest(
      ['apply', '--server-side', '--dry-run=server'],
      'class.yaml',
      [gatewayClass('example.com/other-controller')],
    );
    expect(changed.code).not.toBe(0);
    expect(changed.stderr).toContain(
      'The GatewayClass "eg" is invalid: spec.controllerName: Invalid value: "string": Value is immutable',
    );
    const same = await kubectl.runWithManifest(
      ['apply', '--server-side', '--dry-run=server'],
      'class.yaml',
      [gatewayClass('gateway.envoyproxy.io/gatewayclass-controller')],
    );
    expect(same.code).toBe(0);
  });
});

/** A CRD with the rule features the vendored CRDs do not use: messageExpression, fieldPath, reason, status rules. */
const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      subresources: { status: {} }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                replicas: { type: integer }
                limits:
                  type: object
                  properties:
                    min: { type: integer }
                    max: { type: integer }
              x-kubernetes-validations:
                - rule: self.replicas <= 10
                  messageExpression: "'replicas must be at most 10, got ' + string(self.replicas)"
                - rule: "!has(self.limits) || self.limits.min <= self.limits.max"
                  message: max must not be below min
                  fieldPath: .limits.max
                  reason: FieldValueForbidden
            status:
              type: object
              properties:
                phase: { type: string }
              x-kubernetes-validations:
                - rule: self.phase != 'Broken'
                  message: phase Broken is not reported
`;

describeKubectl('CEL rule features on a test CRD', () => {
  let sandbox: KubeSandbox;
  let kubectl: Kubectl;
  let request: ReturnType<typeof createHttpClient>;
  let crdDir: string;
  const widgets = '/apis/example.com/v1/namespaces/default/widgets';

  const widget = (spec: Record<string, unknown>) => ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default' },
    spec,
  });

  beforeAll(async () => {
    crdDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sandbox-widgets-'));
    fs.writeFileSync(path.join(crdDir, 'widgets.yaml'), WIDGET_CRD);
    ({ sandbox, kubectl } = await startKubectlSandbox({
      crdDir,
      controllers: false,
    }));
    request = createHttpClient(sandbox.url);
  });

  afterAll(async () => {
    await stopKubectlSandbox(sandbox, kubectl);
    if (crdDir) fs.rmSync(crdDir, { recursive: true, force: true });
  });

  it('prints the messageExpression message and puts a fieldPath error at its field', async () => {
    const result = await kubectl.runWithManifest(
      ['apply', '--server-side', '--dry-run=server'],
      'widget.yaml',
      [widget({ replicas: 12, limits: { min: 3, max: 1 } })],
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'The Widget "w" is invalid: \n* spec: Invalid value: "object": replicas must be at most 10, got 12\n* spec.limits.max: Forbidden: max must not be below min',
    );
  });

  it('runs the status rules on status updates', async () => {
    const created = await request('POST', widgets, {
      body: widget({ replicas: 1 }),
    });
    expect(created.status).toBe(201);
    const status = (phase: string) =>
      request('PUT', `${widgets}/w/status`, {
        body: { ...created.body, status: { phase } },
      });
    const broken = await status('Broken');
    expect(broken.status).toBe(422);
    expect(broken.body.details.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'status',
        message: 'Invalid value: "object": phase Broken is not reported',
      },
    ]);
    expect((await status('Ready')).status).toBe(200);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadCrdCatalog } from './catalog';
import { defaultCrdDir } from './crdFiles';
import { sample, sampleObjects } from '../testUtils/sampleObjects';

const catalog = loadCrdCatalog();

/** The YAML of a CustomResourceDefinition in group example.com, up to the key `versions:`. */
function crdHeader(kind: string, plural: string, scope: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${plural}.example.com }
spec:
  group: example.com
  names: { kind: ${kind}, plural: ${plural} }
  scope: ${scope}
  versions:`;
}

describe('loadCrdCatalog', () => {
  // No time is asserted: a timed unit test fails on a loaded machine with nothing wrong.
  it('reads the vendored CRD folder, one definition per kind', () => {
    const fresh = loadCrdCatalog(defaultCrdDir());
    const keys = fresh.kinds().map(k => `${k.kind}.${k.group}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        'InferenceService.serving.kserve.io',
        'AIGatewayRoute.aigateway.envoyproxy.io',
        'SecurityPolicy.gateway.envoyproxy.io',
        'HTTPRoute.gateway.networking.k8s.io',
        'Gateway.networking.istio.io',
      ]),
    );
  });

  it('prefers Gateway API experimental files', () => {
    const httpRoute = catalog.find('gateway.networking.k8s.io/v1', 'HTTPRoute');
    expect(httpRoute?.sourceFile).toContain(
      `${path.sep}experimental${path.sep}`,
    );
    const grpcRoute = catalog.find('gateway.networking.k8s.io/v1', 'GRPCRoute');
    expect(grpcRoute?.sourceFile).toContain(`${path.sep}standard${path.sep}`);
  });

  it('orders versions by Kubernetes priority and finds only served versions', () => {
    const llm = catalog.find(
      'serving.kserve.io/v1alpha2',
      'LLMInferenceService',
    );
    expect(llm?.versions.map(v => v.name)).toEqual(['v1alpha2', 'v1alpha1']);
    const grant = catalog.find(
      'gateway.networking.k8s.io/v1beta1',
      'ReferenceGrant',
    );
    expect(grant?.versions[0].name).toBe('v1');
    expect(grant?.storageVersion).toBe('v1beta1');
    expect(
      catalog.find('gateway.networking.k8s.io/v1alpha2', 'TCPRoute'),
    ).toBeUndefined();
    expect(
      catalog.find('aigateway.envoyproxy.io/v1alpha1', 'AIGatewayRoute')
        ?.versions[1],
    ).toMatchObject({
      deprecated: true,
    });
  });

  it('reads status subresources from the CRDs', () => {
    const isvc = catalog.find('serving.kserve.io/v1beta1', 'InferenceService');
    expect(isvc?.versions[0].hasStatusSubresource).toBe(true);
    const runtime = catalog.find(
      'serving.kserve.io/v1alpha1',
      'ServingRuntime',
    );
    expect(runtime?.versions[0].hasStatusSubresource).toBe(false);
  });

  it('loads CRDs from another folder, plain or gzip-compressed, including multi-document files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'widgets.yaml'),
        `${crdHeader('Widget', 'widgets', 'Namespaced')}
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: not-a-definition }
`,
      );
      const gadgetHeader = crdHeader('Gadget', 'gadgets', 'Cluster');
      fs.writeFileSync(
        path.join(dir, 'gadgets.yaml.gz'),
        gzipSync(`${gadgetHeader} [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`),
      );
      const small = loadCrdCatalog(dir);
      expect(small.kinds().map(k => `${k.kind}/${k.scope}`)).toEqual([
        'Gadget/Cluster',
        'Widget/Namespaced',
      ]);
      const widget = {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'w' },
      };
      expect(small.validate({ ...widget, spec: { size: 2 } })).toEqual([]);
      expect(
        small.validate({ ...widget, spec: { size: 'big' } })[0].field,
      ).toBe('spec.size');
      expect(
        small.validate({
          apiVersion: 'example.com/v1',
          kind: 'Gadget',
          metadata: { name: 'g' },
          x: 1,
        }),
      ).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CrdCatalog.validate', () => {
  it('accepts every sample object, strictly', () => {
    for (const obj of sampleObjects()) {
      expect({
        kind: obj.kind,
        name: obj.metadata.name,
        causes: catalog.validate(obj, { strict: true }),
      }).toEqual({
        kind: obj.kind,
        name: obj.metadata.name,
        causes: [],
      });
    }
  });

  it('names a missing required field', () => {
    const isvc = sample('InferenceService');
    delete isvc.spec.predictor;
    expect(catalog.validate(isvc)).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'spec.predictor',
        message: 'Required value',
      },
    ]);
  });

  it('names a field of the wrong type', () => {
    const isvc = sample('InferenceService');
    isvc.spec.predictor.minReplicas = 'two';
    expect(catalog.validate(isvc)).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        field: 'spec.predictor.minReplicas',
        message:
          'Invalid value: "string": spec.predictor.minReplicas in body must be of type integer: "string"',
      },
    ]);
  });

  it('reports unknown fields only when strict', () => {
    const route = sample('AIGatewayRoute');
    route.spec.foo = 'bar';
    expect(catalog.validate(route)).toEqual([]);
    expect(catalog.validate(route, { strict: true })).toEqual([
      {
        reason: 'UnknownField',
        field: 'spec.foo',
        message: 'unknown field "spec.foo"',
      },
    ]);
  });

  it('checks enums of the real schemas', () => {
    const route = sample('AIGatewayRoute');
    route.spec.rules[0].matches[0].headers[0].type = 'Fuzzy';
    const causes = catalog.validate(route);
    expect(causes).toEqual([
      expect.objectContaining({
        reason: 'FieldValueNotSupported',
        field: 'spec.rules[0].matches[0].headers[0].type',
      }),
      // As the API server, the CEL rules are not run after such an error (strategy.go hasBlockingErr).
      expect.objectContaining({
        field: '<nil>',
        message: expect.stringContaining(
          'some validation rules were not checked because the object was invalid',
        ),
      }),
    ]);
    expect(causes[0].message).toMatch(
      /^Unsupported value: "Fuzzy": supported values: "Exact", "RegularExpression"/,
    );
  });

  it('checks patterns and int-or-string quantities of the real schemas', () => {
    const isvc = sample('InferenceService');
    isvc.spec.predictor.model.resources.limits.cpu = 2;
    expect(catalog.validate(isvc)).toEqual([]);
    isvc.spec.predictor.model.resources.limits.cpu = 'two cores';
    const [patternCause] = catalog.validate(isvc);
    expect(patternCause).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'spec.predictor.model.resources.limits.cpu',
    });
    expect(patternCause.message).toContain('should match');
    isvc.spec.predictor.model.resources.limits.cpu = { count: 2 };
    expect(catalog.validate(isvc)[0]).toMatchObject({
      reason: 'FieldValueTypeInvalid',
    });
  });

  it('keeps fields under preserve-unknown-fields', () => {
    const isvc = sample('InferenceService');
    (isvc as any).status = { anything: { goes: true } };
    expect(catalog.validate(isvc, { strict: true })).toEqual([]);
  });

  it('checks metadata names and labels', () => {
    const isvc = sample('InferenceService');
    isvc.metadata.name = 'Not_Valid';
    isvc.metadata.labels = { 'bad key!': 'x', ok: 'not ok value' };
    const causes = catalog.validate(isvc);
    expect(causes.map(c => [c.reason, c.field])).toEqual([
      ['FieldValueInvalid', 'metadata.name'],
      ['FieldValueInvalid', 'metadata.labels'],
      ['FieldValueInvalid', 'metadata.labels'],
    ]);
    expect(causes[0].message).toContain('a lowercase RFC 1123 subdomain');
  });

  it('validates built-in core kinds', () => {
    const secret = sample('Secret');
    expect(catalog.validate(secret, { strict: true })).toEqual([]);
    expect(
      catalog.validate({ ...secret, data: { k: 'not base64!' } })[0],
    ).toMatchObject({
      field: 'data.k',
    });
  });

  it('gives one cause for an unknown kind or version', () => {
    expect(
      catalog.validate({
        apiVersion: 'serving.kserve.io/v9',
        kind: 'InferenceService',
        metadata: { name: 'a' },
      }),
    ).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'kind',
        message:
          'no matches for kind "InferenceService" in version "serving.kserve.io/v9"',
      },
    ]);
    expect(catalog.validate({ kind: 'Widget' })).toHaveLength(1);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { startKubeSandbox } from '../../sandbox';
import { loadCrdCatalog } from '../catalog';
import { JsonSchemaProps } from '../types';
import { catalogRules, celReportLines, celRuleReport } from './celRuleReport';
import {
  collectSchemaRules,
  describeSchemaPath,
  scanSchemaTextRules,
  SchemaRules,
} from './schemaRuleScan';

jest.setTimeout(120000);

const catalog = loadCrdCatalog();

/** The CRDs the portal writes (goal: every one of their rules is evaluated). */
const PORTAL_CRDS = [
  'InferenceService.serving.kserve.io',
  'HTTPRoute.gateway.networking.k8s.io',
  'AIGatewayRoute.aigateway.envoyproxy.io',
  'AIServiceBackend.aigateway.envoyproxy.io',
  'SecurityPolicy.gateway.envoyproxy.io',
  'BackendTrafficPolicy.gateway.envoyproxy.io',
  'Backend.gateway.envoyproxy.io',
  'HTTPRouteFilter.gateway.envoyproxy.io',
  'AuthorizationPolicy.security.istio.io',
];

/** Rule lists in path order (the text lists a node's rules after its children). */
function byPath(rules: SchemaRules[]): SchemaRules[] {
  const key = (r: SchemaRules) => r.schemaPath.join('/');
  return [...rules].sort((a, b) => key(a).localeCompare(key(b)));
}

describe('the start-up inventory of CEL rules', () => {
  it('finds the same rules at the same paths as a full parse of every vendored schema', () => {
    let compared = 0;
    for (const { kind, version, rules } of catalogRules(catalog)) {
      const parsed = collectSchemaRules(kind.schema(version));
      expect({ crd: `${kind.kind}/${version}`, rules: byPath(rules) }).toEqual({
        crd: `${kind.kind}/${version}`,
        rules: byPath(parsed),
      });
      compared += parsed.length;
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('reads sequences, quoted keys and block scalars of hand-written schema text', () => {
    const text = `description: |-
  x-kubernetes-validations: not a key here
properties:
  'odd:name':
    type: string
    x-kubernetes-validations:
    - rule: self != ''
  spec:
    allOf:
    - properties:
        a:
          type: string
      x-kubernetes-validations:
      - message: first
        rule: has(self.a)
    - x-kubernetes-validations:
        - rule: "true"
    description: plain text
      that continues - x-kubernetes-validations
    properties:
      list:
        items:
          additionalProperties:
            x-kubernetes-validations: [{rule: 'self > 0'}]
            type: integer
          type: object
        type: array
x-kubernetes-validations:
- rule: >-
    self.spec.list.size()
    < 3
  message: root
`;
    const scanned = scanSchemaTextRules(text);
    expect(byPath(scanned)).toEqual(
      byPath(collectSchemaRules(parse(text) as JsonSchemaProps)),
    );
    expect(scanned.map(r => describeSchemaPath(r.schemaPath)).sort()).toEqual([
      '.odd:name',
      '.spec.list[*]{*}',
      '.spec<allOf><0>',
      '.spec<allOf><1>',
      '<root>',
    ]);
  });

  it('evaluates every rule of the vendored CRDs, those the portal writes included', () => {
    const report = celRuleReport(catalog);
    const total = catalogRules(catalog).reduce(
      (sum, { rules }) => sum + rules.reduce((n, r) => n + r.rules.length, 0),
      0,
    );
    expect(report.notEvaluated).toEqual([]);
    expect(report.evaluated).toBe(total);
    for (const crd of PORTAL_CRDS.filter(
      c => !c.startsWith('InferenceService'),
    )) {
      const versions = Object.entries(report.byVersion).filter(([key]) =>
        key.startsWith(`${crd}/`),
      );
      expect(versions.length).toBeGreaterThan(0);
      for (const [, counts] of versions) {
        expect(counts).toEqual({
          evaluated: expect.any(Number),
          notEvaluated: 0,
        });
        expect(counts.evaluated).toBeGreaterThan(0);
      }
    }
    // KServe's InferenceService declares no CEL rules at v0.20.0.
    expect(
      Object.keys(report.byVersion).filter(k =>
        k.startsWith('InferenceService.serving.kserve.io/'),
      ),
    ).toEqual([]);
  });

  it('states in the READMEs the counts the report gives', () => {
    const report = celRuleReport(catalog);
    const readme = (relative: string) =>
      fs
        .readFileSync(path.resolve(__dirname, relative), 'utf8')
        .replace(/\s+/g, ' ');
    const figure = (n: number) => n.toLocaleString('en-US');
    const own = readme('../../../README.md');
    const root = readme('../../../../../README.md');
    const crds = new Set(
      Object.keys(report.byVersion).map(k => k.split('/')[0]),
    );
    expect(own).toContain(
      `all ${figure(report.evaluated)} rules of the vendored CRDs (${
        crds.size
      } CRDs, ${Object.keys(report.byVersion).length} served versions)`,
    );
    expect(own).toContain(
      `With the vendored CRDs: ${figure(report.evaluated)} rules evaluated, ${
        report.notEvaluated.length
      } not`,
    );
    expect(root).toContain(
      `all ${figure(report.evaluated)} of the vendored CRDs`,
    );
    // The per-kind counts the sandbox README gives for the kinds the portal writes.
    const perVersion = (crd: string) => [
      ...new Set(
        Object.entries(report.byVersion)
          .filter(([key]) => key.startsWith(`${crd}/`))
          .map(([, counts]) => counts.evaluated),
      ),
    ];
    for (const [text, crd] of [
      ['HTTPRoute 106 per version', 'HTTPRoute.gateway.networking.k8s.io'],
      ['SecurityPolicy 175', 'SecurityPolicy.gateway.envoyproxy.io'],
      ['BackendTrafficPolicy 76', 'BackendTrafficPolicy.gateway.envoyproxy.io'],
      ['Backend 12', 'Backend.gateway.envoyproxy.io'],
      ['HTTPRouteFilter 9', 'HTTPRouteFilter.gateway.envoyproxy.io'],
      ['AIGatewayRoute 8', 'AIGatewayRoute.aigateway.envoyproxy.io'],
      [
        'AIServiceBackend 2 per version',
        'AIServiceBackend.aigateway.envoyproxy.io',
      ],
      [
        'AuthorizationPolicy 7 per version',
        'AuthorizationPolicy.security.istio.io',
      ],
    ]) {
      expect(own).toContain(text);
      expect({ crd, counts: perVersion(crd) }).toEqual({
        crd,
        counts: [Number(text.match(/\d+/)![0])],
      });
    }
  });

  it('logs a rule it cannot evaluate once at start, and skips it on writes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sandbox-cel-'));
    fs.writeFileSync(
      path.join(dir, 'gadgets.yaml'),
      `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: gadgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Gadget, plural: gadgets, singular: gadget, listKind: GadgetList }
  versions:
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
                size: { type: string }
              x-kubernetes-validations:
                - rule: quantity(self.size).isGreaterThan(quantity('1Gi'))
                  message: too small
                - rule: self.size != 'none'
`,
    );
    const lines: string[] = [];
    const sandbox = await startKubeSandbox({
      crdDir: dir,
      controllers: false,
      logger: line => lines.push(line),
    });
    try {
      // Logged right after the start, without anyone asking for the report.
      await new Promise(resolve => setImmediate(resolve));
      expect(
        lines.filter(l => l.startsWith('CEL rule not evaluated')),
      ).toHaveLength(1);
      expect(sandbox.celReport.notEvaluated).toEqual([
        {
          crd: 'Gadget.example.com',
          version: 'v1',
          path: '.spec',
          rule: "quantity(self.size).isGreaterThan(quantity('1Gi'))",
          problem:
            'undeclared function: quantity(), <receiver>.isGreaterThan()',
        },
      ]);
      expect(sandbox.celReport.evaluated).toBe(1);
      expect(lines.filter(l => l.startsWith('CEL'))).toEqual(
        celReportLines(sandbox.celReport),
      );
      expect(lines.filter(l => l.startsWith('CEL rule not evaluated'))).toEqual(
        [
          "CEL rule not evaluated: Gadget.example.com v1 .spec: undeclared function: quantity(), <receiver>.isGreaterThan(): quantity(self.size).isGreaterThan(quantity('1Gi'))",
        ],
      );
      const post = (size: string) =>
        fetch(`${sandbox.url}/apis/example.com/v1/namespaces/default/gadgets`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            apiVersion: 'example.com/v1',
            kind: 'Gadget',
            metadata: { name: `g-${size.toLowerCase()}` },
            spec: { size },
          }),
        });
      expect((await post('1Mi')).status).toBe(201);
      expect((await post('none')).status).toBe(422);
      expect(
        lines.filter(l => l.startsWith('CEL rule not evaluated')),
      ).toHaveLength(1);
    } finally {
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

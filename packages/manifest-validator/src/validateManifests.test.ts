import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCrdCatalog } from '@internal/kube-sandbox';
import { parseAllDocuments, stringify } from 'yaml';
import { formatReport } from './formatReport';
import { CONFIGS_DIR } from './repoPaths';
import { CrdSchemaCatalog, ManifestValidationReport } from './types';
import { validateManifests } from './validateManifests';

// Loading the CRD folder parses ~13 MiB of YAML: once for the whole file.
let crdCatalog: CrdSchemaCatalog;
beforeAll(() => {
  crdCatalog = loadCrdCatalog();
});

type Doc = Record<string, any>;

/** A copy of configs/ in a temp folder, with `edit` applied to the documents of one file. */
function brokenCopy(file: string, edit: (docs: Doc[]) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'configs-'));
  fs.cpSync(CONFIGS_DIR, dir, { recursive: true });
  const target = path.join(dir, file);
  const docs = parseAllDocuments(fs.readFileSync(target, 'utf8')).map(
    d => d.toJS() as Doc,
  );
  edit(docs);
  fs.writeFileSync(target, docs.map(d => stringify(d)).join('---\n'));
  return dir;
}

function issuesOf(report: ManifestValidationReport, file: string) {
  return report.files
    .find(f => f.file === file)!
    .objects.flatMap(o => o.issues);
}

describe('validateManifests', () => {
  it('accepts every manifest in configs/', () => {
    const report = validateManifests(CONFIGS_DIR, { crdCatalog });

    expect(formatReport(report).filter(l => /FAIL| {6}/.test(l))).toEqual([]);
    expect(report.summary.errors).toBe(0);
    const objects = report.files.flatMap(f => f.objects);
    expect(objects.length).toBeGreaterThan(50);
    // Only the documented EnvoyProxy goes unchecked; everything else met a real schema.
    expect(
      objects.filter(o => o.schemaSource === 'unchecked').map(o => o.kind),
    ).toEqual(['EnvoyProxy']);
    const sources = new Map(objects.map(o => [o.kind, o.schemaSource]));
    expect(sources.get('InferenceService')).toBe('crd');
    expect(sources.get('AIGatewayRoute')).toBe('crd');
    expect(sources.get('AuthorizationPolicy')).toBe('crd');
    expect(sources.get('Deployment')).toBe('core');
    expect(sources.get('ClusterRole')).toBe('core');
    expect(
      report.files.filter(f => f.type === 'helm-values').length,
    ).toBeGreaterThan(3);
  });

  it('rejects an apiVersion no CRD serves', () => {
    const dir = brokenCopy('models/sklearn-iris.yaml', ([isvc]) => {
      isvc.apiVersion = 'serving.kserve.io/v1beta2';
    });
    const report = validateManifests(dir, { crdCatalog });

    expect(issuesOf(report, 'models/sklearn-iris.yaml')).toEqual([
      expect.objectContaining({ reason: 'UnknownKind', field: 'apiVersion' }),
    ]);
    expect(report.summary.errors).toBe(1);
  });

  it('rejects an unknown field of a custom resource, naming the field', () => {
    const dir = brokenCopy('models/sklearn-iris.yaml', ([isvc]) => {
      isvc.spec.predictor.model.storageURI =
        isvc.spec.predictor.model.storageUri;
    });
    const issues = issuesOf(
      validateManifests(dir, { crdCatalog }),
      'models/sklearn-iris.yaml',
    );

    expect(issues).toEqual([
      expect.objectContaining({
        field: expect.stringContaining('spec.predictor.model.storageURI'),
      }),
    ]);
  });

  it('rejects an unknown field of a built-in kind, naming the field', () => {
    const dir = brokenCopy('envoy-gateway/redis.yaml', docs => {
      docs[0].spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    });
    const issues = issuesOf(
      validateManifests(dir, { crdCatalog }),
      'envoy-gateway/redis.yaml',
    );

    expect(issues).toEqual([
      {
        reason: 'UnknownField',
        field: 'spec.template.spec.containers[0].imagePullPolicyy',
        message: expect.any(String),
      },
    ]);
  });

  it('rejects a missing required field of a custom resource, naming the field', () => {
    const dir = brokenCopy('envoy-gateway/gateway.yaml', ([gateway]) => {
      delete gateway.spec.listeners[1].port;
    });
    const issues = issuesOf(
      validateManifests(dir, { crdCatalog }),
      'envoy-gateway/gateway.yaml',
    );

    expect(issues).toEqual([
      expect.objectContaining({
        reason: 'FieldValueRequired',
        field: expect.stringMatching(/^spec\.listeners\[1\]\.port$/),
      }),
      // The Gateway CRD's CEL rules are not run after such an error, as on the API server.
      expect.objectContaining({
        field: '<nil>',
        message: expect.stringContaining(
          'some validation rules were not checked because the object was invalid',
        ),
      }),
    ]);
  });

  it('rejects a missing required field of a built-in kind, naming the field', () => {
    const dir = brokenCopy('portal/postgres.yaml', docs => {
      delete docs[0].spec.template.spec.containers[0].name;
    });
    const issues = issuesOf(
      validateManifests(dir, { crdCatalog }),
      'portal/postgres.yaml',
    );

    expect(issues).toEqual([
      {
        reason: 'FieldValueRequired',
        field: 'spec.template.spec.containers[0].name',
        message: 'Required value',
      },
    ]);
  });

  it('rejects label values longer than 63 characters', () => {
    const dir = brokenCopy('tenants/tenant-c.yaml', docs => {
      docs[0].metadata.labels['inference.platform.io/tenant-name'] = 'x'.repeat(
        64,
      );
    });
    const issues = issuesOf(
      validateManifests(dir, { crdCatalog }),
      'tenants/tenant-c.yaml',
    );

    expect(issues).toEqual([
      expect.objectContaining({
        reason: 'FieldValueInvalid',
        field: 'metadata.labels[inference.platform.io/tenant-name]',
      }),
    ]);
  });

  it('rejects a policy whose target is not among the manifests', () => {
    const dir = brokenCopy('auth/platform-jwt-policy.yaml', ([policy]) => {
      policy.spec.targetRefs[0].name = 'no-such-gateway';
    });
    const report = validateManifests(dir, { crdCatalog });

    expect(report.referenceIssues).toEqual([
      expect.objectContaining({
        file: 'auth/platform-jwt-policy.yaml',
        reason: 'ReferenceNotFound',
        field: 'spec.targetRefs[0]',
      }),
    ]);
  });

  it('reports YAML that cannot be read instead of skipping it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'configs-'));
    fs.writeFileSync(
      path.join(dir, 'aliases.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: &meta\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata: *meta\n',
    );
    const report = validateManifests(dir, { crdCatalog });

    expect(report.files[0].issues).toEqual([
      expect.objectContaining({ reason: 'YamlSyntax' }),
    ]);
    expect(report.summary.errors).toBe(1);
  });
});

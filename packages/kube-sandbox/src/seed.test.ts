import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeSandbox, startKubeSandbox } from './sandbox';

let dir: string;
let sandbox: KubeSandbox | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sandbox-seed-'));
});

afterEach(async () => {
  await sandbox?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(relative: string, text: string) {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('seeding', () => {
  it('applies every document of every YAML file, creating namespaces first', async () => {
    write(
      'a/models.yaml',
      `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: iris, namespace: team-a, labels: { seeded: "yes" } }
spec: { predictor: { model: { modelFormat: { name: sklearn }, storageUri: "gs://iris" } } }
---
# an empty document is fine
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: from-list }
    data: { a: "1" }
`,
    );
    write(
      'b/nested/ns.yml',
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: team-b, labels: { tier: gold } }\n',
    );
    write('notes.txt', 'not yaml, ignored');
    sandbox = await startKubeSandbox({ seedDir: dir, controllers: false });

    expect(sandbox.seedReport).toEqual({
      applied: [
        'Namespace team-b',
        'InferenceService team-a/iris',
        'ConfigMap default/from-list',
      ],
      unknownKinds: [],
      failed: [],
    });
    expect(
      sandbox.store.get('v1', 'Namespace', undefined, 'team-a'),
    ).toBeDefined();
    expect(
      sandbox.store.get('v1', 'Namespace', undefined, 'team-b')?.metadata.labels
        ?.tier,
    ).toBe('gold');
    const iris = sandbox.store.get(
      'serving.kserve.io/v1beta1',
      'InferenceService',
      'team-a',
      'iris',
    );
    expect(iris?.metadata.managedFields?.[0].manager).toBe('kube-sandbox-seed');
  });

  it('applies a single file given instead of a folder, and nothing beside it', async () => {
    write(
      'one/ns.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: only-this }\n',
    );
    write(
      'one/other.yaml',
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: not-this }\n',
    );
    sandbox = await startKubeSandbox({
      seedDir: [path.join(dir, 'one/ns.yaml')],
      controllers: false,
    });
    expect(sandbox.seedReport.applied).toEqual(['Namespace only-this']);
  });

  it('reports unknown kinds and rejected objects instead of skipping them silently', async () => {
    write(
      'mixed.yaml',
      `apiVersion: batch/v1beta1
kind: CronJob
metadata: { name: web, namespace: default }
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: { name: broken, namespace: default }
spec: { predictor: { minReplicas: "lots" } }
`,
    );
    const lines: string[] = [];
    sandbox = await startKubeSandbox({
      seedDir: [dir],
      controllers: false,
      logger: l => lines.push(l),
    });
    expect(sandbox.seedReport.applied).toEqual([]);
    expect(sandbox.seedReport.unknownKinds).toEqual([
      {
        file: path.join(dir, 'mixed.yaml'),
        object: 'batch/v1beta1 CronJob default/web',
        message: 'no such kind is served by the sandbox',
      },
    ]);
    expect(sandbox.seedReport.failed).toEqual([
      expect.objectContaining({
        object: 'serving.kserve.io/v1beta1 InferenceService default/broken',
        message: expect.stringContaining(
          'spec.predictor.minReplicas: Invalid value',
        ),
      }),
    ]);
    expect(lines).toContainEqual(expect.stringContaining('seed: unknown kind'));
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { defaultCrdDir } from '@internal/kube-sandbox';
import { SCRIPTS_DIR } from '../repoPaths';
import { CHARTS_DIR } from './pinnedCharts';

const SCRIPT = path.join(SCRIPTS_DIR, 'fetch-crds.sh');

function checkCrds(...dir: string[]) {
  const run = spawnSync('bash', [SCRIPT, '--check', ...dir], {
    encoding: 'utf8',
  });
  return { status: run.status, out: run.stdout + run.stderr };
}

/** A copy of the vendored CRD folder that a test may damage. */
function copyOfCrdFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-check-'));
  fs.cpSync(defaultCrdDir(), dir, { recursive: true });
  return dir;
}

/** `scripts/fetch-crds.sh --check`: the vendored CRDs are the upstream files at the pinned tags. */
describe('scripts/fetch-crds.sh --check', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyOfCrdFolder();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes on the vendored folder, which is the one the sandbox loads', () => {
    const { status, out } = checkCrds(defaultCrdDir());
    expect(out).toMatch(/^ok: 40 CRD files match/m);
    expect(status).toBe(0);
  });

  it('fails on a file whose content is not the pinned upstream file', () => {
    const file = 'istio/crd-all.gen.yaml.gz';
    const text = fs.readFileSync(path.join(dir, file));
    fs.writeFileSync(
      path.join(dir, file),
      gzipSync(Buffer.concat([text, Buffer.from('#')])),
    );
    const { status, out } = checkCrds(dir);
    expect(status).toBe(1);
    expect(out).toContain(`FAIL ${file}: sha256`);
  });

  it('fails on an unlisted file and on a missing one', () => {
    fs.writeFileSync(
      path.join(dir, 'kserve/extra.yaml.gz'),
      gzipSync('kind: X\n'),
    );
    fs.rmSync(path.join(dir, 'knative-serving/route.yaml.gz'));
    const { status, out } = checkCrds(dir);
    expect(status).toBe(1);
    expect(out).toContain('FAIL kserve/extra.yaml.gz: not listed');
    expect(out).toContain('FAIL knative-serving/route.yaml.gz: missing');
  });

  it('fails when a tag is not the one scripts/lib/versions.sh pins', () => {
    const manifest = path.join(dir, 'sources.tsv');
    const rows = fs.readFileSync(manifest, 'utf8');
    fs.writeFileSync(manifest, rows.replaceAll('v1.9.0', 'v1.8.3'));
    const { status, out } = checkCrds(dir);
    expect(status).toBe(1);
    expect(out).toMatch(/tag v1\.8\.3 .*pins v1\.9\.0 for envoyproxy\/gateway/);
  });
});

/** The charts' values.yaml and Chart.yaml, vendored the same way (packages/manifest-validator/charts). */
describe('scripts/fetch-crds.sh --check on the pinned charts', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charts-check-'));
    fs.cpSync(CHARTS_DIR, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes on both vendored folders without arguments (as scripts/test.sh runs it)', () => {
    const { status, out } = checkCrds();
    expect(out).toMatch(/^ok: 40 CRD files match/m);
    expect(out).toMatch(/^ok: 33 chart files match/m);
    expect(status).toBe(0);
  });

  it('fails on a changed values.yaml', () => {
    const file = 'kserve-runtime-configs/values.yaml.gz';
    fs.writeFileSync(
      path.join(dir, file),
      gzipSync('kserve:\n  servingruntime:\n    enabled: true\n'),
    );
    const { status, out } = checkCrds(dir);
    expect(status).toBe(1);
    expect(out).toContain(`FAIL ${file}: sha256`);
  });

  it('fails when a subchart is not at the tag scripts/lib/versions.sh pins for it', () => {
    const manifest = path.join(dir, 'sources.tsv');
    fs.writeFileSync(
      manifest,
      fs
        .readFileSync(manifest, 'utf8')
        .replaceAll('grafana-9.3.4', 'grafana-9.3.5'),
    );
    const { status, out } = checkCrds(dir);
    expect(status).toBe(1);
    expect(out).toMatch(
      /tag grafana-9\.3\.5 .*pins grafana-9\.3\.4 for grafana\/helm-charts/,
    );
  });
});

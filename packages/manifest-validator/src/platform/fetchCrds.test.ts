import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { defaultCrdDir } from '@internal/kube-sandbox';
import { SCRIPTS_DIR } from '../repoPaths';

const SCRIPT = path.join(SCRIPTS_DIR, 'fetch-crds.sh');

function checkCrds(dir: string) {
  const run = spawnSync('bash', [SCRIPT, '--check', dir], { encoding: 'utf8' });
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

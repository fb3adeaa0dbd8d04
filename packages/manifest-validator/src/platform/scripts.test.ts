import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SCRIPTS_DIR } from '../repoPaths';
import { BOOTSTRAP_STEPS } from './bootstrapPlan';

function shellScripts(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return shellScripts(full);
    return entry.name.endsWith('.sh') ? [full] : [];
  });
}

/** Runs a script with an empty PATH: proves it needs none of kind, kubectl, helm, docker. */
function runWithoutTools(script: string, ...args: string[]) {
  const emptyBin = fs.mkdtempSync(path.join(os.tmpdir(), 'no-tools-'));
  return spawnSync('/bin/bash', [path.join(SCRIPTS_DIR, script), ...args], {
    env: { PATH: emptyBin },
    cwd: os.tmpdir(),
    encoding: 'utf8',
  });
}

function pinnedVersions(): Record<string, string> {
  const text = fs.readFileSync(
    path.join(SCRIPTS_DIR, 'lib/versions.sh'),
    'utf8',
  );
  return Object.fromEntries(
    [...text.matchAll(/^([A-Z_]+_VERSION)="([^"$]+)"/gm)].map(m => [
      m[1],
      m[2],
    ]),
  );
}

const scripts = shellScripts(SCRIPTS_DIR);
const entryPoints = scripts.filter(
  s => !s.includes(`${path.sep}lib`) && !s.endsWith('demos/lib.sh'),
);

describe('scripts/', () => {
  it('pass shellcheck', () => {
    if (process.env.SKIP_SHELLCHECK === '1') return;
    const version = spawnSync('shellcheck', ['--version'], {
      encoding: 'utf8',
    });
    if (version.error) {
      throw new Error(
        'shellcheck is not installed: install it (apt-get install -y shellcheck) or set SKIP_SHELLCHECK=1',
      );
    }
    const result = spawnSync('shellcheck', scripts, {
      cwd: SCRIPTS_DIR,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('use strict mode in every entry point', () => {
    expect(entryPoints.length).toBeGreaterThanOrEqual(10);
    // test.sh runs every check and counts failures, so it cannot stop at the first one (-e).
    for (const script of entryPoints.filter(
      s => !s.endsWith(`${path.sep}test.sh`),
    )) {
      expect([script, fs.readFileSync(script, 'utf8')]).toEqual([
        script,
        expect.stringMatching(/^set -euo pipefail$/m),
      ]);
    }
  });

  it('bootstrap --dry-run prints the ordered plan with every pinned version, without any tool', () => {
    const result = runWithoutTools('bootstrap.sh', '--dry-run');

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const versions = pinnedVersions();
    expect(Object.keys(versions)).toEqual(
      expect.arrayContaining([
        'ISTIO_VERSION',
        'CERT_MANAGER_VERSION',
        'KSERVE_VERSION',
        'ENVOY_GATEWAY_VERSION',
        'ENVOY_AI_GATEWAY_VERSION',
        'GATEWAY_API_VERSION',
        'KNATIVE_SERVING_VERSION',
        'KUBE_PROMETHEUS_STACK_VERSION',
      ]),
    );
    expect(versions).toMatchObject({
      ISTIO_VERSION: '1.30.3',
      KSERVE_VERSION: 'v0.20.0',
      ENVOY_GATEWAY_VERSION: 'v1.9.0',
      ENVOY_AI_GATEWAY_VERSION: 'v1.1.0',
      GATEWAY_API_VERSION: 'v1.6.1',
      KNATIVE_SERVING_VERSION: '1.23.0',
    });
    for (const version of Object.values(versions))
      expect(result.stdout).toContain(version);

    // Dependencies come before what needs them.
    const order = BOOTSTRAP_STEPS;
    const positions = order.map(step =>
      result.stdout.search(new RegExp(`\\d+\\. ${step} `)),
    );
    expect(positions.every(p => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('every entry point answers --help without any tool', () => {
    const withHelp = entryPoints.filter(s => !/(start|test)\.sh$/.test(s));
    for (const script of withHelp) {
      const result = runWithoutTools(
        path.relative(SCRIPTS_DIR, script),
        '--help',
      );
      expect([script, result.status, result.stdout]).toEqual([
        script,
        0,
        expect.stringMatching(/^Usage: /),
      ]);
    }
  });

  it('bootstrap refuses an unknown step', () => {
    const result = runWithoutTools('bootstrap.sh', '--only', 'nope');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('unknown step: nope');
  });
});

import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { KubeSandbox } from '../sandbox';

/**
 * Running the real kubectl against a sandbox. kubectl may be missing on a
 * machine: tests then fail with a clear message, unless
 * KUBE_SANDBOX_SKIP_KUBECTL=1 asks to skip them.
 */

function kubectlAvailable(): boolean {
  return (
    spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' })
      .status === 0
  );
}

/** True when kubectl is missing and KUBE_SANDBOX_SKIP_KUBECTL=1 asks to skip its tests. */
export const skipKubectlTests =
  !kubectlAvailable() && process.env.KUBE_SANDBOX_SKIP_KUBECTL === '1';

/** Call in `beforeAll`: fails every test with a clear message when kubectl is missing. */
export function requireKubectl(): void {
  if (!skipKubectlTests && !kubectlAvailable()) {
    throw new Error(
      'kubectl was not found on PATH. Install kubectl 1.32, or set KUBE_SANDBOX_SKIP_KUBECTL=1 to skip the kubectl conformance tests.',
    );
  }
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubectl bound to one sandbox: its own kubeconfig and discovery cache in a temp dir. */
export class Kubectl {
  readonly dir: string;
  readonly #env: NodeJS.ProcessEnv;

  constructor(sandbox: KubeSandbox) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sandbox-kubectl-'));
    const kubeconfig = path.join(this.dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, sandbox.kubeconfig());
    // A developer's own kubeconfig and cache are never read.
    this.#env = { ...process.env, KUBECONFIG: kubeconfig, HOME: this.dir };
  }

  #args(args: string[]): string[] {
    return ['--cache-dir', path.join(this.dir, 'cache'), ...args];
  }

  run(...args: string[]): Promise<KubectlResult> {
    return new Promise(resolve => {
      execFile(
        'kubectl',
        this.#args(args),
        { env: this.#env, timeout: 30000 },
        (error, stdout, stderr) => {
          let code = 0;
          if (error) code = typeof error.code === 'number' ? error.code : 1;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /**
   * Writes objects to a YAML file in the temp dir and returns its path. As YAML 1.1, which
   * kubectl reads: a string such as `no` or `on` is quoted, else kubectl would read a boolean.
   */
  writeManifest(name: string, objects: object[]): string {
    const file = path.join(this.dir, name);
    fs.writeFileSync(
      file,
      objects.map(o => stringify(o, { version: '1.1' })).join('---\n'),
    );
    return file;
  }

  /** Writes objects to a manifest file (see writeManifest) and runs `kubectl <args> -f <file>`. */
  runWithManifest(
    args: string[],
    name: string,
    objects: object[],
  ): Promise<KubectlResult> {
    return this.run(...args, '-f', this.writeManifest(name, objects));
  }

  spawn(...args: string[]): ChildProcess {
    return spawn('kubectl', this.#args(args), { env: this.#env });
  }

  cleanup() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

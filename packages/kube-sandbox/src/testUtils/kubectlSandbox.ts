import { KubeSandbox, KubeSandboxOptions, startKubeSandbox } from '../sandbox';
import { Kubectl, requireKubectl, skipKubectlTests } from './kubectl';

/**
 * The set-up every kubectl conformance suite shares: a sandbox and a
 * kubectl bound to it by its own kubeconfig.
 */

/** `describe`, or `describe.skip` when kubectl is missing and KUBE_SANDBOX_SKIP_KUBECTL=1 (see requireKubectl). */
export const describeKubectl = skipKubectlTests ? describe.skip : describe;

export interface KubectlSandbox {
  sandbox: KubeSandbox;
  kubectl: Kubectl;
}

/** Call in `beforeAll`: fails clearly without kubectl, then starts the sandbox and its kubectl. */
export async function startKubectlSandbox(
  options: KubeSandboxOptions,
): Promise<KubectlSandbox> {
  requireKubectl();
  const sandbox = await startKubeSandbox(options);
  return { sandbox, kubectl: new Kubectl(sandbox) };
}

/** Call in `afterAll`: either may be missing when `beforeAll` failed part-way. */
export async function stopKubectlSandbox(
  sandbox: KubeSandbox | undefined,
  kubectl: Kubectl | undefined,
): Promise<void> {
  await sandbox?.close();
  kubectl?.cleanup();
}

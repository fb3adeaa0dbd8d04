/**
 * What `GET /version` answers: the Kubernetes release the sandbox imitates. The built-in kinds'
 * schemas are older (v1.27.1, the newest the `kubernetes-models` package ships as JSON Schema; see
 * schema/builtin/kubernetesModels.ts): the version stays at 1.32 for kubectl 1.32 (its version-skew
 * warning) and the API features the sandbox serves (aggregated discovery v2).
 */
export const KUBERNETES_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-kube-sandbox',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-27T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: `${process.platform}/${
    process.arch === 'x64' ? 'amd64' : process.arch
  }`,
};

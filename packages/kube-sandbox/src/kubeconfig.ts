import { stringify } from 'yaml';

/**
 * A kubeconfig for the sandbox. client-node 1.4 refuses `http://` servers
 * unless the cluster has `skipTLSVerify: true`; kubectl reads
 * `insecure-skip-tls-verify`. Both are set.
 */
export function buildKubeconfig(url: string, token?: string): string {
  const name = 'kube-sandbox';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: url,
          'insecure-skip-tls-verify': true,
          skipTLSVerify: true,
        },
      },
    ],
    users: [{ name, user: token ? { token } : {} }],
    contexts: [
      { name, context: { cluster: name, user: name, namespace: 'default' } },
    ],
    'current-context': name,
    preferences: {},
  });
}

import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  kubernetesAuthStrategyExtensionPoint,
  kubernetesFetcherExtensionPoint,
} from '@backstage/plugin-kubernetes-node';

/**
 * A loopback forwarder standing in for a cluster: the cluster URL must be in the config before the
 * backend starts, and a Kubernetes sandbox's port is only known after. `setTarget` points it at
 * the sandbox; until then it answers 503.
 */
export async function startForwarder(): Promise<{
  server: Server;
  url: string;
  setTarget(url: string): void;
}> {
  let target: URL | undefined;
  const server = createServer((req, res) => {
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      response => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    setTarget: url => {
      target = new URL(url);
    },
  };
}

/** The Kubernetes plugin's config for one cluster `local` at `url` (a forwarder to the sandbox). */
export function kubernetesConfigFor(url: string, extra: object = {}) {
  return {
    serviceLocatorMethod: { type: 'multiTenant' },
    ...extra,
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: 'local',
            url,
            authProvider: 'serviceAccount',
            serviceAccountToken: 'test',
            skipTLSVerify: true,
            skipMetricsLookup: true,
          },
        ],
      },
    ],
  };
}

/**
 * Jest only: the plugin's service-account auth strategy and its connection load
 * @kubernetes/client-node with a dynamic `import()`, which Jest's CommonJS runtime refuses
 * ("A dynamic import callback was invoked without --experimental-vm-modules"). Here the
 * service-account strategy hands over the configured token (what upstream's does when
 * `serviceAccountToken` is set), and the default fetcher's connection builds its plain-HTTP
 * request without that import (upstream only uses client-node there to read a CA for https).
 * The default fetcher, objects provider and routes are otherwise the plugin's own.
 */
export const jestClusterAccess = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'jest-cluster-access',
  register(reg) {
    reg.registerInit({
      deps: {
        authStrategies: kubernetesAuthStrategyExtensionPoint,
        fetchers: kubernetesFetcherExtensionPoint,
      },
      async init({ authStrategies, fetchers }) {
        authStrategies.addAuthStrategy('serviceAccount', {
          getCredential: async cluster => ({
            type: 'bearer token',
            token: cluster.authMetadata.serviceAccountToken,
          }),
          validateCluster: () => [],
          presentAuthMetadata: () => ({}),
        });
        fetchers.addFetcher(async ({ getDefault }) => {
          const fetcher = await getDefault();
          const connection = (
            fetcher as unknown as { connection?: { fetchArgs?: unknown } }
          ).connection;
          if (typeof connection?.fetchArgs !== 'function') {
            throw new Error('the default fetcher has no connection.fetchArgs');
          }
          connection.fetchArgs = async (
            cluster: { url: string },
            credential: { token: string },
          ) => [
            new URL(cluster.url),
            {
              method: 'GET',
              headers: {
                Accept: 'application/json',
                Authorization: `Bearer ${credential.token}`,
              },
              redirect: 'manual',
            },
          ];
          return fetcher;
        });
      },
    });
  },
});

import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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

import http from 'node:http';
import { AddressInfo } from 'node:net';
import { GatewayObjectCache } from './objects/objectCache';
import { handleRequest } from './pipeline';
import { ResolveBackend } from './proxy/backends';
import { FixedWindowCounters } from './ratelimit/fixedWindowCounters';
import { GatewayRef } from './routing/attachment';
import { RouteTable, buildRouteTable } from './routing/routeTable';

export interface GatewaySandboxOptions {
  /** Kubernetes API base URL, e.g. the kube-sandbox's `sandbox.url`. */
  kubeApiUrl: string;
  /** Bearer token for the API server, when it requires one. */
  token?: string;
  /** Port to listen on, 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** The Gateway whose data path is simulated (default: the platform's). */
  gateway?: GatewayRef;
  /** The Gateway listener port this loopback port stands for (default 80). */
  gatewayPort?: number;
  /** Maps a backend's (hostname, port) to a reachable base URL. */
  resolveBackend: ResolveBackend;
  /**
   * Milliseconds since the epoch for the rate limit windows (default
   * `Date.now`); tests inject one to cross a window boundary.
   */
  clock?: () => number;
  /** Problems reading the API server or handling a request. */
  onError?: (error: unknown) => void;
}

export interface GatewaySandbox {
  /** `http://127.0.0.1:<port>`; send the Gateway hostname in `Host`. */
  url: string;
  port: number;
  /** The live object cache (`ready()`, `waitFor`, `waitForResourceVersion`). */
  objects: GatewayObjectCache;
  close(): Promise<void>;
}

export const DEFAULT_GATEWAY: GatewayRef = {
  namespace: 'envoy-gateway-system',
  name: 'ai-inference-gateway',
};

/** Starts the data-path double once every watched kind has been listed. */
export async function startGatewaySandbox(
  options: GatewaySandboxOptions,
): Promise<GatewaySandbox> {
  const cache = new GatewayObjectCache({
    kubeApiUrl: options.kubeApiUrl,
    token: options.token,
    onError: options.onError,
  });
  await cache.ready();
  const gateway = options.gateway ?? DEFAULT_GATEWAY;
  const gatewayPort = options.gatewayPort ?? 80;
  let built: { generation: number; table: RouteTable } | undefined;
  const routeTable = () => {
    if (built?.generation !== cache.generation) {
      built = {
        generation: cache.generation,
        table: buildRouteTable(cache, gateway, gatewayPort),
      };
    }
    return built.table;
  };
  const context = {
    cache,
    gateway,
    routeTable,
    resolveBackend: options.resolveBackend,
    rateLimitCounters: new FixedWindowCounters(options.clock),
  };
  const server = http.createServer((req, res) => {
    handleRequest(context, req, res).catch(error => {
      options.onError?.(error);
      if (!res.headersSent)
        res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('gateway-sandbox: internal error\n');
    });
  });
  await new Promise<void>(resolve =>
    server.listen(options.port ?? 0, '127.0.0.1', resolve),
  );
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    objects: cache,
    close: async () => {
      cache.stop();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

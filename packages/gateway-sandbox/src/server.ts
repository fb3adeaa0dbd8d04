import http from 'node:http';
import { AddressInfo } from 'node:net';
import { envoyRouteName } from './metrics/accessLogCounts';
import { hcmStatPrefix } from './metrics/envoyStats';
import { GatewayMetrics } from './metrics/gatewayMetrics';
import { parseRequestHeaderAttributes } from './metrics/headerAttributes';
import { startMetricsServer } from './metrics/metricsServer';
import { RemoteJwksCache, ResolveJwks } from './filters/remoteJwks';
import { GatewayObjectCache } from './objects/objectCache';
import { AccessLogState, handleRequest } from './pipeline';
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
   * Milliseconds since the epoch for the rate limit windows, JWT `exp`/`nbf`
   * checks and JWKS refreshes (default `Date.now`); tests inject one to
   * cross a window boundary or a JWKS cache duration.
   */
  clock?: () => number;
  /**
   * Maps a SecurityPolicy's `remoteJWKS.uri` (normally a cluster hostname)
   * to a URL this process can fetch; undefined = unreachable (the JWT is
   * refused as Envoy refuses it when the fetch fails). Default: the URI.
   */
  resolveJwks?: ResolveJwks;
  /** Problems reading the API server or handling a request. */
  onError?: (error: unknown) => void;
  /**
   * Port of the metrics endpoints (`/metrics`: AI Gateway's GenAI metrics,
   * `/stats/prometheus`: Envoy's stats, `/otel-collector/metrics`: the access
   * log counts, `/kserve-predictors/stats/prometheus`: the model pods' Istio
   * request metrics; metrics/metricsServer.ts), 127.0.0.1; 0 (default) picks one.
   */
  metricsPort?: number;
  /**
   * `header:attribute` pairs, comma-separated, labelling the GenAI metrics
   * (the Helm value `controller.metricsRequestHeaderAttributes`, e.g.
   * `x-inference-client-id:client.id`); default none.
   */
  metricsRequestHeaderAttributes?: string;
}

export interface GatewaySandbox {
  /** `http://127.0.0.1:<port>`; send the Gateway hostname in `Host`. */
  url: string;
  port: number;
  /** The live object cache (`ready()`, `waitFor`, `waitForResourceVersion`). */
  objects: GatewayObjectCache;
  /** `http://127.0.0.1:<metricsPort>`; add `/metrics` or `/stats/prometheus`. */
  metricsUrl: string;
  metricsPort: number;
  close(): Promise<void>;
}

/**
 * The header the publications' SecurityPolicies forward the API key's id in
 * (`apiKeyAuth.forwardClientIDHeader`), which the EnvoyProxy's access log records
 * (configs/envoy-gateway/envoyproxy.yaml, attribute `client_id`).
 */
export const CLIENT_ID_HEADER = 'x-inference-client-id';

export const DEFAULT_GATEWAY: GatewayRef = {
  namespace: 'envoy-gateway-system',
  name: 'ai-inference-gateway',
};

/** Starts the data-path double once every watched kind has been listed. */
export async function startGatewaySandbox(
  options: GatewaySandboxOptions,
): Promise<GatewaySandbox> {
  // A bad mapping stops the ext_proc from starting upstream: throw first.
  const metrics = new GatewayMetrics({
    hcmStatPrefix: hcmStatPrefix(options.gatewayPort ?? 80),
    requestHeaderAttributes: parseRequestHeaderAttributes(
      options.metricsRequestHeaderAttributes,
    ),
  });
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
    jwks: new RemoteJwksCache({
      clock: options.clock ?? Date.now,
      resolveJwks: options.resolveJwks,
    }),
    clock: options.clock ?? Date.now,
    metrics,
  };
  const server = http.createServer((req, res) => {
    metrics.envoy.downstreamRequest();
    const log: AccessLogState = {};
    handleRequest(context, req, res, log)
      .catch(error => {
        options.onError?.(error);
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('gateway-sandbox: internal error\n');
      })
      // Before the client can read the end: a scrape after it counts it.
      .finally(() => {
        if (!res.headersSent) return;
        metrics.envoy.downstreamResponse(res.statusCode);
        // The forwarded client id is there only once api_key_auth accepted the key (or a
        // client sent the header itself: Envoy logs what the request carries).
        metrics.accessLog.record({
          status: res.statusCode,
          routeName: log.entry ? envoyRouteName(log.entry) : undefined,
          clientId: log.request?.firstHeader(CLIENT_ID_HEADER),
        });
      });
  });
  await new Promise<void>(resolve =>
    server.listen(options.port ?? 0, '127.0.0.1', resolve),
  );
  const port = (server.address() as AddressInfo).port;
  const metricsServer = await startMetricsServer(
    metrics,
    options.metricsPort ?? 0,
  );
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    objects: cache,
    metricsUrl: `http://127.0.0.1:${metricsServer.port}`,
    metricsPort: metricsServer.port,
    close: async () => {
      cache.stop();
      await metricsServer.close();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

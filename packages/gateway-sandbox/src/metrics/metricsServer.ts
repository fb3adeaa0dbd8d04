import http from 'node:http';
import { AddressInfo } from 'node:net';
import { GatewayMetrics } from './gatewayMetrics';
import { KSERVE_PREDICTORS_METRICS_PATH } from './istioStats';

/**
 * The scrape endpoints, on one loopback port apart from the data port, as
 * upstream keeps them apart from the listener:
 * - `GET /metrics`: the AI Gateway ext_proc's admin server (port 1064,
 *   envoyproxy/ai-gateway v1.1.0 cmd/extproc/mainlib/admin.go);
 * - `GET /stats/prometheus`: Envoy's stats as Envoy Gateway v1.9.0 exposes
 *   them (port 19001, GET only, internal/xds/bootstrap/bootstrap.yaml.tpl);
 * - `GET /otel-collector/metrics`: the access log counts of the platform's
 *   OpenTelemetry Collector (its Prometheus exporter serves `/metrics` on
 *   port 9464 of its own pod; here a path of its own keeps it apart from the
 *   ext_proc's `/metrics` on this one port, see accessLogCounts.ts);
 * - `GET /kserve-predictors/stats/prometheus`: the Istio request metrics of
 *   the model pods' sidecars, which a cluster serves on each predictor pod's
 *   merged endpoint `:15020/stats/prometheus` (job kserve-predictors; here a
 *   path of its own beside Envoy's `/stats/prometheus`, see istioStats.ts).
 * Query parameters (`usedonly`, `filter`) and content negotiation
 * (OpenMetrics, protobuf) are not reproduced; anything else is 404.
 */
/** Where this double serves the collector's `/metrics` (prometheus.dev.yaml, job gateway-access-log). */
export const ACCESS_LOG_METRICS_PATH = '/otel-collector/metrics';

export async function startMetricsServer(
  metrics: GatewayMetrics,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const bodies = new Map([
    [
      '/metrics',
      () => ({
        text: metrics.genAi.render(),
        type: 'text/plain; version=0.0.4; charset=utf-8',
      }),
    ],
    [
      ACCESS_LOG_METRICS_PATH,
      () => ({
        text: metrics.accessLog.render(),
        type: 'text/plain; version=0.0.4; charset=utf-8',
      }),
    ],
    [
      KSERVE_PREDICTORS_METRICS_PATH,
      () => ({
        text: metrics.istio.render(),
        type: 'text/plain; charset=UTF-8',
      }),
    ],
    [
      '/stats/prometheus',
      () => ({
        text: metrics.envoy.render(),
        type: 'text/plain; charset=UTF-8',
      }),
    ],
  ]);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const body = req.method === 'GET' ? bodies.get(path)?.() : undefined;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': body.type }).end(body.text);
  });
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

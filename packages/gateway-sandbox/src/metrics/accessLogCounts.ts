import { RouteEntry } from '../routing/types';
import { CLIENT_GOLANG, MetricsRegistry } from './registry';

/**
 * The gateway's answers counted from its access log, as the platform's OpenTelemetry Collector
 * serves them (configs/envoy-gateway/access-log-collector.yaml, job gateway-access-log): the
 * EnvoyProxy's OpenTelemetry access log (configs/envoy-gateway/envoyproxy.yaml) sends one record
 * per request, local replies included; the contrib `count` connector
 * (connector/countconnector/README.md, "Attributes") counts them per set of the attributes it
 * keeps, as the monotonic sum `gateway.access.requests`; the `prometheus` exporter
 * (exporter/prometheusexporter, client_golang's text format) writes it as
 * `gateway_access_requests_total`: `.` -> `_`, `_total` for a monotonic sum, labels sorted by
 * name. The count connector's sums are deltas; the collector's `deltatocumulative` processor
 * makes them the running totals served here.
 *
 * Not reproduced: the exporter's `otel_scope_*` labels, which the scrape jobs drop
 * (kube-prometheus-stack.values.yaml, prometheus.dev.yaml), and `metric_expiration` (a series
 * not updated for 5 minutes disappears upstream; here it stays).
 */

/**
 * What Envoy's access log writes for a command operator without a value (Envoy's substitution
 * formatter, "command operators": unavailable values are `-`).
 */
export const NO_VALUE = '-';

/** One access log record: the attributes the count connector keeps. */
export interface AccessLogRecord {
  /** `%RESPONSE_CODE%`. */
  status: number;
  /** `%ROUTE_NAME%`; undefined when no route matched (404). */
  routeName?: string;
  /** `%REQ(x-inference-client-id)%` as the request carries it when logged. */
  clientId?: string;
}

/**
 * The Envoy route name of a matched rule, as `%ROUTE_NAME%` prints it:
 * `httproute/<namespace>/<name>/rule/<i>/match/<j>/<hostname, . -> _>` (Envoy Gateway v1.9.0
 * internal/gatewayapi/helpers.go `irRouteName`, route.go appends the hostname the route was
 * matched for; a rule without matches is match -1).
 */
export function envoyRouteName(entry: RouteEntry): string {
  const { namespace, name } = entry.route.metadata;
  const hostname = entry.hostname.replace(/\./g, '_');
  return `httproute/${namespace}/${name}/rule/${entry.ruleIndex}/match/${entry.matchIndex}/${hostname}`;
}

export class AccessLogCounts {
  private readonly registry = new MetricsRegistry(CLIENT_GOLANG);

  private readonly requests = this.registry.counter(
    'gateway_access_requests_total',
    "The gateway's answers, local replies included, per response code, route and API key.",
  );

  /** Counts one answer; labels sorted by name, as client_golang prints them. */
  record(entry: AccessLogRecord): void {
    this.requests.inc([
      ['client_id', entry.clientId || NO_VALUE],
      ['response_code', String(entry.status)],
      ['route_name', entry.routeName || NO_VALUE],
    ]);
  }

  /** The exporter's `/metrics` body. */
  render(): string {
    return this.registry.render();
  }
}

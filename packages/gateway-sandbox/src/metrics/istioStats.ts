import { DestinationWorkload } from '../mesh/destinationWorkload';
import { DEFAULT_BUCKETS } from './envoyStats';
import { ENVOY, MetricsRegistry } from './registry';

/**
 * Istio's standard request metrics as the sidecar of each model pod reports them
 * (`reporter="destination"`), which production Prometheus scrapes from the sidecar's merged
 * endpoint (pilot-agent's `:15020/stats/prometheus`: Envoy's stats, its own and the app's; istio/istio
 * 1.30.3 pilot/cmd/pilot-agent/status/server.go `handleStats`), job kserve-predictors
 * (configs/observability/kube-prometheus-stack.values.yaml). The double is the one process in front
 * of every model pod, so it keeps these for each request it forwards to a model and serves them
 * at {@link KSERVE_PREDICTORS_METRICS_PATH} (metricsServer.ts).
 *
 * Re-expressed from istio/proxy 1.30.3 source/extensions/filters/http/istio_stats/istio_stats.cc:
 * - names `istio_requests_total` (counter) and `istio_request_duration_milliseconds`
 *   (histogram), recorded once per stream when the sidecar logs it (`IstioStatsFilter::log`);
 * - `reporter` is `destination` for a server sidecar (`Reporter::ServerSidecar`); the destination
 *   labels are the sidecar's own workload and namespace (`context_.workload_name_`,
 *   `context_.namespace_`, from the node metadata `WORKLOAD_NAME` and `NAMESPACE`; see
 *   mesh/destinationWorkload.ts for the name);
 * - `response_code` is the status the sidecar sent downstream (`info.responseCode()`): the model
 *   server's, as the double passes it on; `request_protocol` `http` (not gRPC);
 * - the duration is `info.requestComplete()` in whole milliseconds (an absl duration divided by
 *   one millisecond): here from sending the request to the model server to the end of its answer;
 * - labels in the order the filter adds them; of its ~25 labels only `reporter`,
 *   `destination_workload`, `destination_workload_namespace`, `request_protocol` and
 *   `response_code` are reproduced (no `source_*`, principals, app/version, canonical service,
 *   `destination_service*`, cluster, `grpc_response_status`, `response_flags`,
 *   `connection_security_policy`), and not `istio_request_bytes`/`istio_response_bytes`.
 *
 * Histogram buckets: Istio configures none unless the pod has the annotation
 * `sidecar.istio.io/statsHistogramBuckets` (istio/istio 1.30.3 pkg/bootstrap/config.go; the
 * bootstrap's `histogram_bucket_settings` is written only then, tools/packaging/common/
 * envoy_bootstrap.json), which KServe and the platform do not set: Envoy's default buckets.
 * Written in Envoy's text format, as envoyStats.ts (no `# HELP`, an empty line after each family,
 * counters before histograms); series ordered by label values.
 *
 * Counted: requests that reached a model server and got response headers from it. Not counted:
 * the gateway's local replies (401, 403, 404, 429, its 5xx without an upstream), the mesh's
 * answers for a revision without endpoints, and failed connections (in a cluster no pod, so no
 * destination sidecar, is there to count them).
 */

/** Where the double serves them on its metrics port (prometheus.dev.yaml, job kserve-predictors). */
export const KSERVE_PREDICTORS_METRICS_PATH =
  '/kserve-predictors/stats/prometheus';

/** `reporter` of a server sidecar (istio_stats.cc `context_.destination_`). */
const REPORTER_DESTINATION = 'destination';

export class IstioStats {
  private readonly registry = new MetricsRegistry(ENVOY);

  private readonly requestsTotal = this.registry.counter(
    'istio_requests_total',
  );

  private readonly requestDuration = this.registry.histogram(
    'istio_request_duration_milliseconds',
    DEFAULT_BUCKETS,
  );

  /** One request the destination's sidecar logged, with the status it answered. */
  record(
    destination: DestinationWorkload,
    status: number,
    milliseconds: number,
  ): void {
    const labels = [
      ['reporter', REPORTER_DESTINATION],
      ['destination_workload', destination.workload],
      ['destination_workload_namespace', destination.namespace],
      ['request_protocol', 'http'],
      ['response_code', String(status)],
    ] as const;
    this.requestsTotal.inc(labels);
    this.requestDuration.observe(labels, Math.floor(milliseconds));
  }

  /** The `/kserve-predictors/stats/prometheus` body; empty before the first request. */
  render(): string {
    return this.registry.render();
  }
}

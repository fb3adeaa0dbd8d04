/**
 * The one list of metric names and labels the platform's usage figures come from, shared by the
 * backend's PromQL templates (plugins/inference-backend/src/usage/promql.ts) and the Grafana
 * dashboard (configs/observability/grafana-dashboard.json); a test of the backend checks that
 * both use only what is listed here. Where each family is served and scraped:
 * configs/observability/kube-prometheus-stack.values.yaml (production) and prometheus.dev.yaml
 * (the gateway double); docs/architecture.md, "Usage".
 */

/** A metric family: histograms are queried as `<name>_bucket`, `_sum` and `_count`. @public */
export interface UsageMetricFamily {
  name: string;
  type: 'counter' | 'histogram' | 'gauge';
  /** Every label a query may select or group on (`le` of histograms is implied). */
  labels: readonly string[];
  /** Who serves it and where the name and labels were read. */
  source: string;
}

/**
 * The caller label of AI Gateway's GenAI metrics:
 * `metricsRequestHeaderAttributes: 'x-inference-client-id:client.id'`
 * (configs/ai-gateway/ai-gateway.values.yaml) maps the client id the publication's SecurityPolicy
 * forwards (the API key's id) to `client.id`, which the OTel Prometheus exporter writes as
 * `client_id`. @public
 */
export const CLIENT_ID_LABEL = 'client_id';

const ENVOY =
  'Envoy of the Gateway (Envoy Gateway v1.9.0, port 19001 /stats/prometheus); names and tags from envoyproxy/envoy source/common/config/well_known_names.cc';
const GENAI_LABELS = [
  'gen_ai_operation_name',
  'gen_ai_provider_name',
  'gen_ai_original_model',
  'gen_ai_request_model',
  'gen_ai_response_model',
  CLIENT_ID_LABEL,
] as const;
const GENAI =
  'AI Gateway v1.1.0 ext_proc admin port aigw-admin (1064) /metrics; internal/metrics/genai.go, metrics_impl.go';
/**
 * The labels of the gateway's access-log counter: the attribute keys of the EnvoyProxy's
 * OpenTelemetry access log (configs/envoy-gateway/envoyproxy.yaml), which the collector's count
 * connector keeps (configs/envoy-gateway/access-log-collector.yaml). @public
 */
export const ACCESS_LOG_LABELS = {
  /** `%RESPONSE_CODE%`: the status sent downstream, local replies included. */
  responseCode: 'response_code',
  /**
   * `%ROUTE_NAME%`: `httproute/<namespace>/<route>/rule/<i>/match/<j>/<host with _ for .>`
   * (Envoy Gateway v1.9.0 internal/gatewayapi/helpers.go `irRouteName`, route.go); `-` without
   * a route.
   */
  routeName: 'route_name',
  /** `%REQ(x-inference-client-id)%`: the key's id api_key_auth forwarded; `-` without one. */
  clientId: CLIENT_ID_LABEL,
} as const;

const ACCESS_LOG =
  'OpenTelemetry Collector (contrib) in envoy-gateway-system, job gateway-access-log: the count connector over the EnvoyProxy access log, Prometheus exporter on :9464 /metrics (configs/envoy-gateway/access-log-collector.yaml)';

/**
 * The labels of Istio's standard request metrics a query may use: the reporting side
 * (`destination` = the sidecar of the pod that answered), the answering pod's workload (its
 * Deployment: `<revision>-deployment` for a Knative-mode model, `<isvc>-predictor` for a Standard
 * one, a blue-green candidate's `<model>-canary-predictor`) and namespace (the tenant), and the
 * status that pod's sidecar sent.
 */
const ISTIO_REQUEST_LABELS = [
  'reporter',
  'destination_workload',
  'destination_workload_namespace',
  'response_code',
] as const;

const ISTIO =
  'Istio sidecar (istio-proxy) of each predictor pod, merged endpoint :15020/stats/prometheus, job kserve-predictors; names and labels from istio/proxy 1.30.3 source/extensions/filters/http/istio_stats/istio_stats.cc';

function family<const L extends readonly string[]>(
  name: string,
  type: UsageMetricFamily['type'],
  labels: L,
  source: string,
): UsageMetricFamily & { labels: L } {
  return { name, type, labels, source };
}

/** @public */
export const USAGE_METRICS = {
  /** Upstream answers and the ratelimit filter's 429s, by class digit, per route rule. */
  envoyClusterRequestsByClass: family(
    'envoy_cluster_upstream_rq_xx',
    'counter',
    ['envoy_response_code_class', 'envoy_cluster_name'],
    ENVOY,
  ),
  /** The same by status code. */
  envoyClusterRequestsByCode: family(
    'envoy_cluster_upstream_rq',
    'counter',
    ['envoy_response_code', 'envoy_cluster_name'],
    ENVOY,
  ),
  /** Requests sent upstream per route rule. */
  envoyClusterRequestsTotal: family(
    'envoy_cluster_upstream_rq_total',
    'counter',
    ['envoy_cluster_name'],
    ENVOY,
  ),
  /** Upstream request time, milliseconds. */
  envoyClusterRequestTime: family(
    'envoy_cluster_upstream_rq_time',
    'histogram',
    ['envoy_cluster_name'],
    ENVOY,
  ),
  /** The ratelimit filter's refusals per route rule (source/extensions/filters/http/ratelimit). */
  envoyClusterRateLimitOverLimit: family(
    'envoy_cluster_ratelimit_over_limit',
    'counter',
    ['envoy_cluster_name'],
    ENVOY,
  ),
  /** Every answer of the listener, local replies (401, 403, 404, 429) included; no route. */
  envoyDownstreamRequestsByClass: family(
    'envoy_http_downstream_rq_xx',
    'counter',
    ['envoy_response_code_class', 'envoy_http_conn_manager_prefix'],
    ENVOY,
  ),
  /**
   * Every answer of the gateway, local replies (401 of api_key_auth, 429 of the rate limit)
   * included, per response code, route and API key: the only source of 401s per model and 429s
   * per key (docs/architecture.md, "Usage"). The count connector's `gateway.access.requests`,
   * which the Prometheus exporter writes with `_` for `.` and `_total` for a monotonic sum.
   */
  gatewayAccessRequests: family(
    'gateway_access_requests_total',
    'counter',
    [
      ACCESS_LOG_LABELS.responseCode,
      ACCESS_LOG_LABELS.routeName,
      ACCESS_LOG_LABELS.clientId,
    ],
    ACCESS_LOG,
  ),
  /** Tokens per request by `gen_ai_token_type` (input, output, cached_input, ...). */
  genAiTokenUsage: family(
    'gen_ai_client_token_usage',
    'histogram',
    [...GENAI_LABELS, 'gen_ai_token_type'],
    GENAI,
  ),
  /** One observation per upstream answer; non-2xx carry `error_type="_OTHER"`. */
  genAiRequestDuration: family(
    'gen_ai_server_request_duration_seconds',
    'histogram',
    [...GENAI_LABELS, 'error_type'],
    GENAI,
  ),
  genAiTimeToFirstToken: family(
    'gen_ai_server_time_to_first_token_seconds',
    'histogram',
    GENAI_LABELS,
    GENAI,
  ),
  genAiTimePerOutputToken: family(
    'gen_ai_server_time_per_output_token_seconds',
    'histogram',
    GENAI_LABELS,
    GENAI,
  ),
  /** KServe model server latency, with the `tenant` and `model` the kserve-predictors job adds. */
  kservePredictLatency: family(
    'request_predict_seconds',
    'histogram',
    ['tenant', 'model', 'pod'],
    'KServe model servers (kserve/python/kserve/kserve/metrics.py) through the Istio sidecar merge, job kserve-predictors',
  ),
  /**
   * Requests that reached a model pod, counted by its Istio sidecar (`reporter="destination"`) per
   * workload and response code: per side of a rollout, error rate. Gateway local replies (401,
   * 429) never reach a pod and are not here.
   */
  istioRequests: family(
    'istio_requests_total',
    'counter',
    ISTIO_REQUEST_LABELS,
    ISTIO,
  ),
  /** The same requests' duration at the pod's sidecar, milliseconds: per side of a rollout, latency. */
  istioRequestDuration: family(
    'istio_request_duration_milliseconds',
    'histogram',
    ISTIO_REQUEST_LABELS,
    ISTIO,
  ),
  /** kube-state-metrics, for the dashboard's tenant picker. */
  kubeNamespaceLabels: family(
    'kube_namespace_labels',
    'gauge',
    ['namespace', 'label_inference_platform_io_tenant_namespace'],
    'kube-state-metrics (metricLabelsAllowlist)',
  ),
  /** kube-state-metrics, for the dashboard's model picker. */
  kubePodLabels: family(
    'kube_pod_labels',
    'gauge',
    [
      'namespace',
      'label_component',
      'label_serving_kserve_io_inferenceservice',
    ],
    'kube-state-metrics (metricLabelsAllowlist)',
  ),
} as const;

/** @public */
export type UsageMetricKey = keyof typeof USAGE_METRICS;

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;

/** The series names a family is queried by: its name, or a histogram's three. @public */
export function usageSeriesNames(metric: UsageMetricFamily): string[] {
  return metric.type === 'histogram'
    ? HISTOGRAM_SUFFIXES.map(suffix => `${metric.name}${suffix}`)
    : [metric.name];
}

/**
 * The family a series name belongs to, and the labels a query may use on it (`le` on a
 * histogram's buckets); undefined for a name that is not listed. @public
 */
export function usageMetricOfSeries(
  series: string,
): { family: UsageMetricFamily; labels: string[] } | undefined {
  for (const metric of Object.values(USAGE_METRICS) as UsageMetricFamily[]) {
    if (!usageSeriesNames(metric).includes(series)) continue;
    return {
      family: metric,
      labels: series.endsWith('_bucket')
        ? [...metric.labels, 'le']
        : [...metric.labels],
    };
  }
  return undefined;
}

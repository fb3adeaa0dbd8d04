import { RouteEntry } from '../routing/types';
import { Counter, ENVOY, Labels, MetricsRegistry } from './registry';

/**
 * A small subset of Envoy's stats, as `/stats/prometheus` prints them
 * (Envoy Gateway v1.9.0 serves it on the proxy's port 19001:
 * internal/xds/bootstrap/bootstrap.go `EnvoyStatsPort`, bootstrap.yaml.tpl).
 *
 * Names and tags (envoyproxy/envoy source/common/config/well_known_names.cc,
 * source/server/admin/prometheus_stats.cc; read from the GitHub index at
 * commits whose tag could not be checked, see README):
 * - the tag-extracted stat name gets `envoy_` and `.` -> `_`;
 * - `_rq_<3 digits>` becomes tag `envoy_response_code`, `_rq_<d>xx` tag
 *   `envoy_response_code_class`; these have no name prefix, so they are
 *   extracted before `envoy_cluster_name` (`cluster.<name>.`) and
 *   `envoy_http_conn_manager_prefix` (`http.<prefix>.`), and printed first;
 * - `# TYPE` per family, no `# HELP`, an empty line after each family;
 *   counters, then histograms, each sorted by stat name token by token.
 */

/**
 * Envoy Gateway's route-level cluster of a rule, `<kind>/<ns>/<name>/rule/<i>`
 * (internal/gatewayapi/helpers.go `irRouteDestinationName`); a rule without
 * backendRefs (direct response) has none. Per-backend clusters
 * (`…/backend/<j>`) and EnvoyProxy `telemetry.metrics.clusterStatName`
 * (`alt_stat_name`) are not reproduced.
 */
export function routeClusterName(entry: RouteEntry): string | undefined {
  if (!(entry.rule?.backendRefs ?? []).length) return undefined;
  // The route table holds HTTPRoutes only (AIGatewayRoutes generate them).
  const { namespace, name } = entry.route.metadata;
  return `httproute/${namespace}/${name}/rule/${entry.ruleIndex}`;
}

/**
 * The HTTP connection manager's stat prefix: `http-<port>` with the
 * container port (internal/xds/translator/listener.go `hcmStatPrefix`
 * without the XDSNameSchemeV2 runtime flag, off by default in
 * api/v1alpha1/envoygateway_helpers.go); Gateway ports below 1024 are
 * shifted by 10000 (internal/gatewayapi/listener.go
 * `servicePortToContainerPort`, translator.go `wellKnownPortShift`).
 */
export function hcmStatPrefix(gatewayPort: number): string {
  return `http-${gatewayPort < 1024 ? gatewayPort + 10000 : gatewayPort}`;
}

/** Envoy's default histogram buckets, ms (source/common/stats/histogram_impl.cc `supportedBuckets`). */
export const DEFAULT_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
  300000, 600000, 1800000, 3600000,
];

/** Orders like Envoy's symbol table: stat name token by token. */
const statSortKey = (statName: string) => statName.split('.').join('\u0000');

/** `prometheus_stats.cc` `metricName`: `envoy_` + the name, `.` -> `_`. */
const envoyName = (statName: string) =>
  `envoy_${statName.replace(/[^a-zA-Z0-9_]/g, '_')}`;

/** One more on a series named by (labels, stat name sort key). */
function bump(counter: Counter, [labels, sortKey]: readonly [Labels, string]) {
  counter.inc(labels, 1, sortKey);
}

/** The class digit Envoy groups a code under; none outside 100-599. */
function codeClass(status: number): string | undefined {
  return status >= 100 && status < 600
    ? String(Math.floor(status / 100))
    : undefined;
}

export class EnvoyStats {
  private readonly registry = new MetricsRegistry(ENVOY);

  private counter(statName: string) {
    return this.registry.counter(
      envoyName(statName),
      '',
      statSortKey(statName),
    );
  }

  private readonly downstreamRqTotal = this.counter('http.downstream_rq_total');
  private readonly downstreamRqCompleted = this.counter(
    'http.downstream_rq_completed',
  );
  private readonly downstreamRqXx = this.counter('http.downstream_rq_xx');
  private readonly upstreamRqTotal = this.counter('cluster.upstream_rq_total');
  private readonly upstreamRqCompleted = this.counter(
    'cluster.upstream_rq_completed',
  );
  private readonly upstreamRq = this.counter('cluster.upstream_rq');
  private readonly upstreamRqXx = this.counter('cluster.upstream_rq_xx');
  private readonly upstreamCxNoneHealthy = this.counter(
    'cluster.upstream_cx_none_healthy',
  );
  private readonly rateLimitOk = this.counter('cluster.ratelimit.ok');
  private readonly rateLimitOverLimit = this.counter(
    'cluster.ratelimit.over_limit',
  );
  private readonly upstreamRqTime = this.registry.histogram(
    envoyName('cluster.upstream_rq_time'),
    DEFAULT_BUCKETS,
    '',
    statSortKey('cluster.upstream_rq_time'),
  );

  constructor(private readonly hcmPrefix: string) {
    // The connection manager's counters exist from the start (static stats
    // of source/common/http/conn_manager_impl.h ALL_HTTP_CONN_MAN_STATS).
    this.downstreamRqTotal.touch(...this.hcm('downstream_rq_total'));
    this.downstreamRqCompleted.touch(...this.hcm('downstream_rq_completed'));
    for (const digit of ['1', '2', '3', '4', '5'])
      this.downstreamRqXx.touch(...this.hcmClass(digit));
  }

  private hcm(stat: string): [Labels, string] {
    return [
      [['envoy_http_conn_manager_prefix', this.hcmPrefix]],
      statSortKey(`http.${this.hcmPrefix}.${stat}`),
    ];
  }

  private hcmClass(digit: string): [Labels, string] {
    return [
      [
        ['envoy_response_code_class', digit],
        ['envoy_http_conn_manager_prefix', this.hcmPrefix],
      ],
      statSortKey(`http.${this.hcmPrefix}.downstream_rq_${digit}xx`),
    ];
  }

  private cluster(cluster: string, stat: string, tag?: [string, string]) {
    const labels: Labels = [
      ...(tag ? [tag] : []),
      ['envoy_cluster_name', cluster],
    ];
    return [labels, statSortKey(`cluster.${cluster}.${stat}`)] as const;
  }

  /** A request stream started (`downstream_rq_total`). */
  downstreamRequest(): void {
    bump(this.downstreamRqTotal, this.hcm('downstream_rq_total'));
  }

  /**
   * Response headers went downstream, local replies included
   * (conn_manager_impl.cc `chargeStats`: `downstream_rq_completed`,
   * `downstream_rq_<d>xx`).
   */
  downstreamResponse(status: number): void {
    bump(this.downstreamRqCompleted, this.hcm('downstream_rq_completed'));
    const digit = codeClass(status);
    if (digit) bump(this.downstreamRqXx, this.hcmClass(digit));
  }

  /**
   * The connection pool attached the request to a connection
   * (conn_pool_base.cc `attachStreamToClient` counts `upstream_rq_total`;
   * a refused connection never gets there).
   */
  upstreamRequest(cluster: string): void {
    bump(this.upstreamRqTotal, this.cluster(cluster, 'upstream_rq_total'));
  }

  /** The load balancer had no host (`upstream_cx_none_healthy`). */
  noHealthyUpstream(cluster: string): void {
    bump(
      this.upstreamCxNoneHealthy,
      this.cluster(cluster, 'upstream_cx_none_healthy'),
    );
  }

  /**
   * `CodeStatsImpl::chargeBasicResponseStat` (source/common/http/codes.cc):
   * `upstream_rq_completed`, `upstream_rq_<d>xx`, `upstream_rq_<code>`. The
   * router charges it for upstream response headers and for a reset before
   * them (503, `chargeUpstreamAbort`); the ratelimit filter for its 429.
   */
  upstreamResponseCode(cluster: string, status: number): void {
    bump(
      this.upstreamRqCompleted,
      this.cluster(cluster, 'upstream_rq_completed'),
    );
    const digit = codeClass(status);
    if (digit) {
      bump(
        this.upstreamRqXx,
        this.cluster(cluster, `upstream_rq_${digit}xx`, [
          'envoy_response_code_class',
          digit,
        ]),
      );
    }
    bump(
      this.upstreamRq,
      this.cluster(cluster, `upstream_rq_${status}`, [
        'envoy_response_code',
        String(status),
      ]),
    );
  }

  /** `upstream_rq_time`, ms, when the upstream response completed (router.cc `onUpstreamComplete`). */
  upstreamRequestTime(cluster: string, milliseconds: number): void {
    const [labels, sortKey] = this.cluster(cluster, 'upstream_rq_time');
    this.upstreamRqTime.observe(labels, Math.floor(milliseconds), sortKey);
  }

  /** The ratelimit filter's answer from the rate limit service (`cluster.<c>.ratelimit.ok|over_limit`). */
  rateLimitDecision(cluster: string, overLimit: boolean): void {
    if (overLimit) {
      bump(
        this.rateLimitOverLimit,
        this.cluster(cluster, 'ratelimit.over_limit'),
      );
    } else {
      bump(this.rateLimitOk, this.cluster(cluster, 'ratelimit.ok'));
    }
  }

  /** The `/stats/prometheus` body. */
  render(): string {
    return this.registry.render();
  }
}

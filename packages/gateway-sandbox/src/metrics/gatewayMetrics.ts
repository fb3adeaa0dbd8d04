import { UpstreamAnswer, UpstreamTiming } from '../proxy/forward';
import { RateLimitDecision } from '../ratelimit/rateLimitFilter';
import { GatewayRequest } from '../request';
import { RouteEntry } from '../routing/types';
import { AccessLogCounts } from './accessLogCounts';
import { EnvoyStats, routeClusterName } from './envoyStats';
import { GenAiExchange, recordGenAiExchange } from './genAiExchange';
import { GenAiMetrics } from './genAiMetrics';
import { IstioStats } from './istioStats';
import { DestinationWorkload } from '../mesh/destinationWorkload';

/**
 * The metric sources of the data path, Envoy's stats, the AI Gateway
 * ext_proc's GenAI metrics, the collector's counts of the access log and the
 * model pods' Istio sidecars' request metrics, with the hooks the pipeline
 * calls.
 */
export class GatewayMetrics {
  readonly envoy: EnvoyStats;
  readonly genAi: GenAiMetrics;
  readonly accessLog = new AccessLogCounts();
  readonly istio = new IstioStats();

  constructor(options: {
    hcmStatPrefix: string;
    requestHeaderAttributes: ReadonlyMap<string, string>;
  }) {
    this.envoy = new EnvoyStats(options.hcmStatPrefix);
    this.genAi = new GenAiMetrics(options.requestHeaderAttributes);
  }

  /**
   * The ratelimit filter's outcome on the route's cluster (envoyproxy/envoy
   * source/extensions/filters/http/ratelimit/ratelimit.cc `complete`):
   * `ratelimit.ok` or `ratelimit.over_limit`, and for over limit the 429
   * charged to the cluster's response code stats. No descriptors = no call,
   * no stat; a route without a cluster skips the filter.
   */
  rateLimit(entry: RouteEntry, decision: RateLimitDecision): void {
    const cluster = routeClusterName(entry);
    if (!cluster) return;
    if (decision.type === 'refused') {
      this.envoy.rateLimitDecision(cluster, true);
      this.envoy.upstreamResponseCode(cluster, decision.status);
    } else if (decision.type === 'allowed' && decision.checked) {
      this.envoy.rateLimitDecision(cluster, false);
    }
  }

  /**
   * A backendRef that gave no upstream: for the 503 `no healthy upstream`
   * the router charges the cluster's code stats and `upstream_cx_none_healthy`
   * (router.cc `sendNoHealthyUpstreamResponse`); a missing Backend is Envoy
   * Gateway's 500 direct response, which has no cluster.
   */
  unresolvedTarget(entry: RouteEntry, status: number): void {
    const cluster = routeClusterName(entry);
    if (!cluster || status !== 503) return;
    this.envoy.noHealthyUpstream(cluster);
    this.envoy.upstreamResponseCode(cluster, 503);
  }

  /**
   * One upstream exchange of the router, when it is over: the cluster's
   * request, response code and time stats (a reset before response headers
   * is charged as Envoy's 503, router.cc `chargeUpstreamAbort`), and for an
   * AI Gateway route the GenAI metrics.
   */
  upstreamExchange(
    entry: RouteEntry,
    request: GatewayRequest,
    timing: UpstreamTiming,
    answer: UpstreamAnswer | undefined,
    genAi: GenAiExchange | undefined,
  ): void {
    const cluster = routeClusterName(entry);
    if (cluster) {
      if (timing.attached) this.envoy.upstreamRequest(cluster);
      if (timing.status !== undefined)
        this.envoy.upstreamResponseCode(cluster, timing.status);
      else if (!answer) this.envoy.upstreamResponseCode(cluster, 503);
      if (answer && timing.end !== undefined)
        this.envoy.upstreamRequestTime(cluster, timing.end - timing.start);
    }
    if (genAi) recordGenAiExchange(this.genAi, genAi, request, timing, answer);
  }

  /**
   * What the answering model pod's sidecar counts (istioStats.ts): only an
   * exchange whose response headers came from the model server, once its
   * answer is over (or broke off).
   */
  modelExchange(
    destination: DestinationWorkload | undefined,
    timing: UpstreamTiming,
  ): void {
    if (!destination || timing.status === undefined) return;
    const end = timing.end ?? performance.now();
    this.istio.record(destination, timing.status, end - timing.start);
  }
}

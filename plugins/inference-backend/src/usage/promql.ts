import {
  ACCESS_LOG_LABELS,
  CLIENT_ID_LABEL,
  USAGE_METRICS,
  UsageMetricFamily,
} from '@inference-in-a-box/backstage-plugin-inference-node';

/**
 * The only PromQL the portal sends: a handful of templates over the metric families of
 * USAGE_METRICS (plugins/inference-node/src/usage/usageMetrics.ts). Label values enter a query
 * only through `labelValue`, which first restricts them to the character set of their kind
 * (Kubernetes names, public model names) and then writes them as PromQL string literals; in a
 * regular expression matcher they are also quoted for RE2. Windows, steps and quantiles come from
 * fixed tables, never from the caller. Client ids are never put in a query: results are grouped by
 * them and filtered in the backend.
 */

/** What a label value must look like, by what it is. */
const VALUE_PATTERNS = {
  /** A Kubernetes namespace or object name used as a DNS label (tenant namespace, route name). */
  dnsLabel: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
  /** A publication's public model name (publishRequestSchema: a DNS label plus '.'). */
  publicModelName: /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/,
} as const;

export type LabelValueKind = keyof typeof VALUE_PATTERNS;

/** A label value outside its kind's character set: never put in a query. */
export class UnsafeLabelValueError extends Error {
  constructor(kind: LabelValueKind, value: string) {
    super(
      `Refusing to query usage for ${JSON.stringify(
        value,
      )}: not a valid ${kind}`,
    );
    this.name = 'UnsafeLabelValueError';
  }
}

/** A PromQL double-quoted string literal: backslash, double quote and line breaks escaped. */
export function promqlString(value: string): string {
  return `"${value.replace(/[\\"\n\r]/g, c => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\${c}`;
  })}"`;
}

/** RE2 `QuoteMeta`: every metacharacter taken literally. */
export function quoteRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, c => `\\${c}`);
}

/** A label value checked against its kind; throws UnsafeLabelValueError otherwise. */
export function labelValue(kind: LabelValueKind, value: string): string {
  if (typeof value !== 'string' || !VALUE_PATTERNS[kind].test(value)) {
    throw new UnsafeLabelValueError(kind, String(value));
  }
  return value;
}

/** One label matcher: `label="value"` (or `!=`), or a regex built from literal and checked parts. */
type Matcher = string;

const equals = (label: string, value: string): Matcher =>
  `${label}=${promqlString(value)}`;
const notEquals = (label: string, value: string): Matcher =>
  `${label}!=${promqlString(value)}`;
const matchesRegex = (label: string, regex: string): Matcher =>
  `${label}=~${promqlString(regex)}`;

/** A series of a family with matchers; only names and labels USAGE_METRICS lists. */
function series(
  family: UsageMetricFamily,
  suffix: '' | '_bucket' | '_sum' | '_count',
  matchers: Matcher[],
): string {
  const used = matchers.map(m => /^[a-z_]+/.exec(m)![0]);
  for (const label of used) {
    if (!family.labels.includes(label) && label !== 'le') {
      throw new Error(`${family.name} has no label ${label}`);
    }
  }
  return `${family.name}${suffix}{${matchers.join(', ')}}`;
}

/**
 * How much a counter grew over the last `seconds` before the evaluation time, exactly: the value
 * now minus the value `seconds` ago, and for a series that did not exist then (Envoy and the OTel
 * exporter create series on first use) its whole value. `increase()` would extrapolate and drop a
 * new series' first count. After a counter reset (a restarted gateway pod) within the window the
 * difference is negative: then the value since the reset counts, and the counts before it are lost.
 */
function growth(selector: string, seconds: number): string {
  const ms = Math.round(seconds * 1000);
  if (!Number.isFinite(seconds) || ms < 1) {
    throw new Error(`invalid window of ${seconds} s`);
  }
  const offset = ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
  return `(((${selector} - ${selector} offset ${offset}) >= 0) or ${selector})`;
}

function sumBy(labels: string[], expression: string): string {
  return labels.length
    ? `sum by (${labels.join(', ')}) (${expression})`
    : `sum(${expression})`;
}

// --- Route selection (Envoy Gateway's names) ---

/**
 * The route-level clusters of a route's rules: `httproute/<namespace>/<route>/rule/<i>` (Envoy
 * Gateway v1.9.0 internal/gatewayapi/helpers.go `irRouteDestinationName`). An AIGatewayRoute's
 * generated HTTPRoute has its name, so this covers both publication kinds.
 */
export function routeClusters(namespace: string, route: string): Matcher {
  return matchesRegex(
    'envoy_cluster_name',
    `httproute/${quoteRegex(labelValue('dnsLabel', namespace))}/${quoteRegex(
      labelValue('dnsLabel', route),
    )}/rule/[0-9]+`,
  );
}

/** Every route-level cluster of a tenant namespace; the route is read back from the name. */
export function namespaceClusters(namespace: string): Matcher {
  return matchesRegex(
    'envoy_cluster_name',
    `httproute/${quoteRegex(
      labelValue('dnsLabel', namespace),
    )}/[-a-z0-9]+/rule/[0-9]+`,
  );
}

/** The route a cluster name belongs to, or undefined for a name of another shape. */
export function routeOfCluster(
  clusterName: string,
): { namespace: string; route: string } | undefined {
  const match = /^httproute\/([-a-z0-9]+)\/([-a-z0-9]+)\/rule\/[0-9]+$/.exec(
    clusterName,
  );
  return match ? { namespace: match[1], route: match[2] } : undefined;
}

/**
 * The Envoy routes of a Gateway API route, as the access log names them:
 * `httproute/<namespace>/<route>/rule/<i>/match/<j>/<hostname, . -> _>` (Envoy Gateway v1.9.0
 * internal/gatewayapi/helpers.go `irRouteName`, route.go appends the hostname; a rule without
 * matches has match -1).
 */
export function routeNames(namespace: string, route: string): Matcher {
  return matchesRegex(
    ACCESS_LOG_LABELS.routeName,
    `httproute/${quoteRegex(labelValue('dnsLabel', namespace))}/${quoteRegex(
      labelValue('dnsLabel', route),
    )}/rule/[0-9]+/match/-?[0-9]+/.*`,
  );
}

/** Every Envoy route of a tenant namespace's HTTPRoutes; the route is read back from the name. */
export function namespaceRouteNames(namespace: string): Matcher {
  return matchesRegex(
    ACCESS_LOG_LABELS.routeName,
    `httproute/${quoteRegex(
      labelValue('dnsLabel', namespace),
    )}/[-a-z0-9]+/rule/[0-9]+/match/-?[0-9]+/.*`,
  );
}

/** The HTTPRoute an access log route name belongs to, or undefined for another shape. */
export function routeOfRouteName(
  routeName: string,
): { namespace: string; route: string } | undefined {
  const match =
    /^httproute\/([-a-z0-9]+)\/([-a-z0-9]+)\/rule\/[0-9]+\/match\/-?[0-9]+\//.exec(
      routeName,
    );
  return match ? { namespace: match[1], route: match[2] } : undefined;
}

// --- The templates ---

const M = USAGE_METRICS;

/** Envoy's requests of a route (or namespace) by status class digit, over `seconds`. */
export function requestsByClass(
  clusters: Matcher,
  seconds: number,
  by: string[] = [],
): string {
  return sumBy(
    [...by, 'envoy_response_code_class'],
    growth(series(M.envoyClusterRequestsByClass, '', [clusters]), seconds),
  );
}

/** Requests of one status class digit, e.g. `5` (the errors series). */
export function requestsOfClass(
  clusters: Matcher,
  digit: '2' | '4' | '5',
  seconds: number,
): string {
  return sumBy(
    [],
    growth(
      series(M.envoyClusterRequestsByClass, '', [
        clusters,
        equals('envoy_response_code_class', digit),
      ]),
      seconds,
    ),
  );
}

/** Every request of a route (all classes), over `seconds`: the requests series. */
export function allRequests(clusters: Matcher, seconds: number): string {
  return sumBy(
    [],
    growth(series(M.envoyClusterRequestsByClass, '', [clusters]), seconds),
  );
}

/** The ratelimit filter's 429s over `seconds`. */
export function rateLimited(
  clusters: Matcher,
  seconds: number,
  by: string[] = [],
): string {
  return sumBy(
    by,
    growth(series(M.envoyClusterRateLimitOverLimit, '', [clusters]), seconds),
  );
}

/**
 * The gateway's answers of one status code (`401`, `429`) over `seconds`, from its access log
 * (USAGE_METRICS.gatewayAccessRequests): local replies included, which no Envoy stat has per
 * route or per API key. Group by `route_name` or `client_id`.
 */
export function answersWithCode(
  routes: Matcher,
  code: 401 | 429,
  seconds: number,
  by: string[] = [],
): string {
  return sumBy(
    by,
    growth(
      series(M.gatewayAccessRequests, '', [
        routes,
        equals(ACCESS_LOG_LABELS.responseCode, String(code)),
      ]),
      seconds,
    ),
  );
}

/** A quantile of Envoy's upstream request time (ms) over `seconds`. */
export function latencyQuantile(
  quantile: 0.5 | 0.95,
  clusters: Matcher,
  seconds: number,
): string {
  return `histogram_quantile(${quantile}, ${sumBy(
    ['le'],
    growth(series(M.envoyClusterRequestTime, '_bucket', [clusters]), seconds),
  )})`;
}

/**
 * GenAI token counts per caller and token type for one public model name (or every model, with
 * `undefined`), over `seconds`.
 */
export function tokensByClient(
  publicModelName: string | undefined,
  seconds: number,
): string {
  return sumBy(
    [CLIENT_ID_LABEL, 'gen_ai_token_type'],
    growth(
      series(M.genAiTokenUsage, '_sum', modelMatchers(publicModelName)),
      seconds,
    ),
  );
}

/** GenAI upstream answers per caller, split by `error_type` ('' = 2xx), over `seconds`. */
export function answersByClient(
  publicModelName: string | undefined,
  seconds: number,
): string {
  return sumBy(
    [CLIENT_ID_LABEL, 'error_type'],
    growth(
      series(M.genAiRequestDuration, '_count', modelMatchers(publicModelName)),
      seconds,
    ),
  );
}

function modelMatchers(publicModelName: string | undefined): Matcher[] {
  return [
    ...(publicModelName === undefined
      ? []
      : [
          equals(
            'gen_ai_original_model',
            labelValue('publicModelName', publicModelName),
          ),
        ]),
    notEquals(CLIENT_ID_LABEL, ''),
  ];
}

// --- Rollout sides (Istio's sidecar metrics of each predictor pod) ---

/**
 * One predictor workload's requests as its own sidecar counted them (`reporter="destination"`),
 * in a tenant namespace: one side of a rollout (../rollouts/predictorWorkload.ts names it). Only
 * requests that reached the pod; the gateway's local replies (401, 429) are not here.
 */
export function predictorWorkloadMatchers(
  namespace: string,
  workload: string,
): Matcher[] {
  return [
    equals('reporter', 'destination'),
    equals('destination_workload_namespace', labelValue('dnsLabel', namespace)),
    equals('destination_workload', labelValue('dnsLabel', workload)),
  ];
}

/** A workload's requests by `response_code` over `seconds` (the backend sums them and the 5xx). */
export function workloadRequestsByCode(
  workload: Matcher[],
  seconds: number,
): string {
  return sumBy(
    ['response_code'],
    growth(series(M.istioRequests, '', workload), seconds),
  );
}

/** A quantile of a workload's request duration at its sidecar (ms) over `seconds`. */
export function workloadLatencyQuantile(
  quantile: 0.5 | 0.95,
  workload: Matcher[],
  seconds: number,
): string {
  return `histogram_quantile(${quantile}, ${sumBy(
    ['le'],
    growth(series(M.istioRequestDuration, '_bucket', workload), seconds),
  )})`;
}

import { NotImplementedError } from '@backstage/errors';
import {
  inferenceModelReadPermission,
  KeyUsage,
  LimitHeadroom,
  ModelLocator,
  ModelUsage,
  PublicationSummary,
  PublishLimits,
  RequestCounts,
  RolloutVersionUsage,
  RolloutWindow,
  Tenant,
  TenantUsage,
  TokenCounts,
  UnavailableFigure,
  UsagePoint,
  UsageWindow,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ACCESS_LOG_LABELS,
  CLIENT_ID_LABEL,
  KINDS,
  PUBLICATION_KINDS,
  ROUTE_KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { HistoryStore } from '../history/HistoryStore';
import type { ModelAccess } from '../permissions/ModelAccess';
import { detectModelType } from '../publication/build';
import { publicationObjectNames } from '../publication/build/objectNames';
import type { PublicationEngine } from '../publication/publicationEngine';
import type { CallContext } from '../requestContext';
import type {
  InstantSample,
  PrometheusClient,
  RangeSeries,
} from './prometheusClient';
import {
  allRequests,
  answersByClient,
  answersWithCode,
  latencyQuantile,
  namespaceClusters,
  namespaceRouteNames,
  predictorWorkloadMatchers,
  rateLimited,
  requestsByClass,
  requestsOfClass,
  routeClusters,
  routeNames,
  routeOfCluster,
  routeOfRouteName,
  tokensByClient,
  workloadLatencyQuantile,
  workloadRequestsByCode,
} from './promql';

/**
 * Usage figures of models and tenants, read from the Prometheus that scrapes the gateway
 * (docs/architecture.md, "Usage"): Envoy's route stats for a model's requests, 429s and latency,
 * AI Gateway's GenAI metrics (by `client_id`) for tokens and per-key figures, the gateway's access
 * log counter for the local replies no stat has per model or key (401s per model, 429s per key).
 * Nothing is counted by the portal. Permissions are those of reading the model.
 */
export interface UsageService {
  modelUsage(
    ctx: CallContext,
    model: ModelLocator,
    window: UsageWindow,
  ): Promise<ModelUsage>;
  /** Every tenant the caller may read (all of them for a platform admin). */
  tenantUsage(ctx: CallContext, window: UsageWindow): Promise<TenantUsage[]>;
  /** Whether `inference.usage.prometheusUrl` is set (otherwise every call answers 501). */
  readonly configured: boolean;
  /**
   * What each predictor workload of a tenant namespace answered over `window`, as its Istio
   * sidecar counted it: the sides of a rollout (../rollouts/predictorWorkload.ts names them), in
   * the order given. No permission check: the rollout service checked reading the model (or is
   * the portal's own scheduled task).
   */
  workloadUsage(
    namespace: string,
    workloads: string[],
    window: RolloutWindow,
  ): Promise<RolloutVersionUsage[]>;
}

/** The rollout windows' lengths. */
export const ROLLOUT_WINDOW_SECONDS: Record<RolloutWindow, number> = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
};

/** Window length and the step of its series (60, 96 and 84 points). */
export const USAGE_WINDOW_SPECS: Record<
  UsageWindow,
  { seconds: number; stepSeconds: number }
> = {
  '1h': { seconds: 3600, stepSeconds: 60 },
  '24h': { seconds: 86_400, stepSeconds: 900 },
  '7d': { seconds: 604_800, stepSeconds: 7200 },
};

/** What a model's usage needs of its publication: keys, the recorded request and limits. */
const USAGE_KINDS = PUBLICATION_KINDS.filter(
  k =>
    k.kind === KINDS.secret.kind ||
    k.kind === KINDS.backendTrafficPolicy.kind ||
    ROUTE_KINDS.has(k.kind),
);

const NOT_CONFIGURED =
  'Usage is not configured: set inference.usage.prometheusUrl to the Prometheus that scrapes the gateway';

export const UNAVAILABLE = {
  predictiveKeys: {
    figure: 'keys',
    reason:
      "Per-key figures come from AI Gateway's GenAI metrics (label client_id), which only OpenAI-compatible routes record; Envoy counts a predictive model's requests per route only",
  },
  notPublished: {
    figure: 'keys',
    reason:
      'The model is not published: its public model name and API keys, which the per-key and token figures are selected by, are not known',
  },
} satisfies Record<string, UnavailableFigure>;

const KEY_ID_IN_HISTORY = /\bkey-[0-9a-f]{12}\b/g;

const emptyTokens = (): TokenCounts => ({ input: 0, output: 0, total: 0 });

function addTokens(into: TokenCounts, from: TokenCounts | undefined) {
  if (!from) return;
  into.input += from.input;
  into.output += from.output;
  into.total += from.total;
}

const finite = (value: number) => (Number.isFinite(value) ? value : 0);
/** Counts are whole numbers; a counter's float formatting must not show as 4.0000001. */
const count = (value: number) => Math.round(finite(value));

/** Envoy's requests by class digit (`2` -> `2xx`) and its 429s, as RequestCounts. */
function envoyRequests(
  byClass: InstantSample[],
  limited: InstantSample[],
): RequestCounts {
  const byStatusClass: Record<string, number> = {};
  let total = 0;
  for (const sample of byClass) {
    const n = count(sample.value);
    if (n === 0) continue;
    const digit = sample.metric.envoy_response_code_class ?? '?';
    byStatusClass[`${digit}xx`] = (byStatusClass[`${digit}xx`] ?? 0) + n;
    total += n;
  }
  return {
    total,
    byStatusClass,
    rateLimited: limited.reduce((sum, s) => sum + count(s.value), 0),
  };
}

/** A count per client id (`answersWithCode(..., [CLIENT_ID_LABEL])`). */
function countPerClient(samples: InstantSample[]): Map<string, number> {
  const perClient = new Map<string, number>();
  for (const sample of samples) {
    const client = sample.metric[CLIENT_ID_LABEL];
    const n = count(sample.value);
    if (!client || n === 0) continue;
    perClient.set(client, (perClient.get(client) ?? 0) + n);
  }
  return perClient;
}

const sumOf = (samples: InstantSample[]) =>
  samples.reduce((n, s) => n + count(s.value), 0);

/** Token counts per client id from `tokensByClient` (input + output = total). */
function tokensPerClient(samples: InstantSample[]): Map<string, TokenCounts> {
  const perClient = new Map<string, TokenCounts>();
  for (const sample of samples) {
    const client = sample.metric[CLIENT_ID_LABEL];
    const type = sample.metric.gen_ai_token_type;
    if (!client || (type !== 'input' && type !== 'output')) continue;
    const tokens = perClient.get(client) ?? emptyTokens();
    tokens[type] += count(sample.value);
    tokens.total = tokens.input + tokens.output;
    perClient.set(client, tokens);
  }
  return perClient;
}

/** Upstream answers per client id from `answersByClient`: `2xx`, or `error` with an error_type. */
function answersPerClient(
  samples: InstantSample[],
): Map<string, RequestCounts> {
  const perClient = new Map<string, RequestCounts>();
  for (const sample of samples) {
    const client = sample.metric[CLIENT_ID_LABEL];
    const n = count(sample.value);
    if (!client || n === 0) continue;
    const counts = perClient.get(client) ?? {
      total: 0,
      byStatusClass: {},
      rateLimited: 0,
    };
    const statusClass = sample.metric.error_type ? 'error' : '2xx';
    counts.byStatusClass[statusClass] =
      (counts.byStatusClass[statusClass] ?? 0) + n;
    counts.total += n;
    perClient.set(client, counts);
  }
  return perClient;
}

/** Seconds with at most three decimals, so step times compare exactly. */
const millis = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** The step times of a window's series, oldest first, ending now (milliseconds kept). */
function stepTimes(now: number, window: UsageWindow): number[] {
  const { seconds, stepSeconds } = USAGE_WINDOW_SPECS[window];
  const steps = seconds / stepSeconds;
  return Array.from({ length: steps }, (_, i) =>
    millis(now - (steps - 1 - i) * stepSeconds),
  );
}

/** A range query's series summed per step (only the series `keep` accepts), every step present. */
function pointsOf(
  series: RangeSeries[],
  times: number[],
  keep: (metric: Record<string, string>) => boolean = () => true,
): UsagePoint[] {
  const byTime = new Map<number, number>();
  for (const s of series) {
    if (!keep(s.metric)) continue;
    for (const [t, value] of s.values)
      byTime.set(millis(t), (byTime.get(millis(t)) ?? 0) + count(value));
  }
  return times.map(t => ({ t, value: byTime.get(t) ?? 0 }));
}

const latency = (samples: InstantSample[]) => {
  const value = samples[0]?.value;
  return value !== undefined && Number.isFinite(value)
    ? Math.round(value * 10) / 10
    : undefined;
};

export function createUsageService(deps: {
  access: ModelAccess;
  engine: PublicationEngine;
  history: HistoryStore;
  listPublications(readable: Tenant[]): Promise<PublicationSummary[]>;
  /** Undefined when `inference.usage.prometheusUrl` is not set: every call answers 501. */
  prometheus?: PrometheusClient;
  /** Milliseconds since the epoch; injectable for tests. */
  clock?: () => number;
}): UsageService {
  const clock = deps.clock ?? Date.now;

  function prometheus(): PrometheusClient {
    if (!deps.prometheus) throw new NotImplementedError(NOT_CONFIGURED);
    return deps.prometheus;
  }

  /**
   * Every key id the publication has had: the Secret's, and those its history names (created,
   * rotated, revoked), so usage of a key revoked within the window still counts for the model.
   */
  async function keyIdsOf(
    model: ModelLocator,
    current: string[],
  ): Promise<Set<string>> {
    const ids = new Set(current);
    const entries = await deps.history.listForModel(model, { limit: 1000 });
    for (const entry of entries) {
      if (entry.outcome !== 'succeeded' || !entry.summary) continue;
      for (const id of entry.summary.match(KEY_ID_IN_HISTORY) ?? [])
        ids.add(id);
    }
    return ids;
  }

  /** Used in the current clock-aligned window of each limit, per client id. */
  async function headroomPerClient(
    client: PrometheusClient,
    publicModelName: string,
    limits: PublishLimits,
    now: number,
  ): Promise<(clientId: string) => LimitHeadroom[]> {
    // The ratelimit service's windows start at whole minutes and hours of the clock
    // (envoyproxy/ratelimit src/limiter/cache_key.go).
    const sinceMinute = millis(now % 60);
    const sinceHour = millis(now % 3600);
    const [minute, hour, hourTokens] = await Promise.all([
      limits.requestsPerMinute !== undefined && sinceMinute >= 0.001
        ? client.query(answersByClient(publicModelName, sinceMinute), now)
        : [],
      limits.requestsPerHour !== undefined && sinceHour >= 0.001
        ? client.query(answersByClient(publicModelName, sinceHour), now)
        : [],
      limits.tokensPerHour !== undefined && sinceHour >= 0.001
        ? client.query(tokensByClient(publicModelName, sinceHour), now)
        : [],
    ]);
    const minuteUsed = answersPerClient(minute);
    const hourUsed = answersPerClient(hour);
    const tokensUsed = tokensPerClient(hourTokens);
    // Each limit against what the key used in that limit's current window.
    const windows = [
      ['requestsPerMinute', 60, minuteUsed],
      ['requestsPerHour', 3600, hourUsed],
      ['tokensPerHour', 3600, tokensUsed],
    ] as const;
    return clientId =>
      windows.flatMap(([limit, windowSeconds, used]): LimitHeadroom[] => {
        const max = limits[limit];
        return max === undefined
          ? []
          : [
              {
                limit,
                max,
                used: used.get(clientId)?.total ?? 0,
                windowSeconds,
              },
            ];
      });
  }

  return {
    configured: deps.prometheus !== undefined,

    async workloadUsage(namespace, workloads, window) {
      const client = prometheus();
      const now = millis(clock() / 1000);
      const seconds = ROLLOUT_WINDOW_SECONDS[window];
      return Promise.all(
        workloads.map(async (workload): Promise<RolloutVersionUsage> => {
          const selected = predictorWorkloadMatchers(namespace, workload);
          const [byCode, p50, p95] = await Promise.all([
            client.query(workloadRequestsByCode(selected, seconds), now),
            client.query(workloadLatencyQuantile(0.5, selected, seconds), now),
            client.query(workloadLatencyQuantile(0.95, selected, seconds), now),
          ]);
          let requests = 0;
          let errors = 0;
          for (const sample of byCode) {
            const n = count(sample.value);
            requests += n;
            if (/^5[0-9][0-9]$/.test(sample.metric.response_code ?? ''))
              errors += n;
          }
          // Without requests a quantile is no figure (Prometheus answers NaN or nothing).
          const quantile = (samples: InstantSample[]) =>
            requests > 0 ? latency(samples) ?? null : null;
          return {
            window,
            requests,
            errors,
            errorRatePercent:
              requests > 0 ? Math.round((errors / requests) * 1000) / 10 : null,
            latencyMs: { p50: quantile(p50), p95: quantile(p95) },
          };
        }),
      );
    },

    async modelUsage(ctx, model, window) {
      const tenant = await deps.access.require(
        ctx.credentials,
        inferenceModelReadPermission,
        model,
      );
      const client = prometheus();
      const loaded = await deps.engine.load(tenant, model, USAGE_KINDS);
      // Evaluated at this moment, not a rounded one: a scrape of the last second counts.
      const now = millis(clock() / 1000);
      const { seconds, stepSeconds } = USAGE_WINDOW_SPECS[window];
      const times = stepTimes(now, window);
      const range = { start: times[0], end: now, step: stepSeconds };
      const { route } = publicationObjectNames(tenant.name, model.name);
      const clusters = routeClusters(model.namespace, route);
      const routes = routeNames(model.namespace, route);
      const recorded = loaded.current.request;
      const modelType = recorded?.modelType ?? detectModelType(loaded.isvc);
      const genAiModel =
        modelType === 'openai' ? recorded?.publicModelName : undefined;

      const [
        byClass,
        limited,
        p50,
        p95,
        requestsSeries,
        limitedSeries,
        errorsSeries,
        unauthorized,
      ] = await Promise.all([
        client.query(requestsByClass(clusters, seconds), now),
        client.query(rateLimited(clusters, seconds), now),
        client.query(latencyQuantile(0.5, clusters, seconds), now),
        client.query(latencyQuantile(0.95, clusters, seconds), now),
        client.queryRange(allRequests(clusters, stepSeconds), range),
        client.queryRange(rateLimited(clusters, stepSeconds), range),
        client.queryRange(requestsOfClass(clusters, '5', stepSeconds), range),
        client.query(answersWithCode(routes, 401, seconds), now),
      ]);
      const usage: ModelUsage = {
        model: {
          cluster: model.cluster,
          namespace: model.namespace,
          name: model.name,
        },
        window,
        // The 401s never reach a route's cluster: counted from the access log.
        requests: {
          ...envoyRequests(byClass, limited),
          unauthorized: sumOf(unauthorized),
        },
        latencyMs: { p50: latency(p50), p95: latency(p95) },
        series: {
          requests: pointsOf(requestsSeries, times),
          rateLimited: pointsOf(limitedSeries, times),
          errors: pointsOf(errorsSeries, times),
        },
        keys: [],
        unavailable: [],
        asOf: now,
      };
      if (modelType !== 'openai') {
        usage.unavailable!.push(UNAVAILABLE.predictiveKeys);
        return usage;
      }
      if (!recorded || genAiModel === undefined) {
        usage.unavailable!.push(UNAVAILABLE.notPublished);
        return usage;
      }

      const current = loaded.current.allKeys;
      const [keyIds, tokens, answers, limitedByKey, tokensSeries, headroomOf] =
        await Promise.all([
          keyIdsOf(
            model,
            current.map(k => k.id),
          ),
          client.query(tokensByClient(genAiModel, seconds), now),
          client.query(answersByClient(genAiModel, seconds), now),
          client.query(
            answersWithCode(routes, 429, seconds, [CLIENT_ID_LABEL]),
            now,
          ),
          client.queryRange(tokensByClient(genAiModel, stepSeconds), range),
          headroomPerClient(client, genAiModel, recorded.limits, now),
        ]);
      const tokensOf = tokensPerClient(tokens);
      const answersOf = answersPerClient(answers);
      // 429s never reach the model, so the GenAI metrics lack them: from the access log.
      const limitedOf = countPerClient(limitedByKey);
      const modelTokens = emptyTokens();
      for (const id of keyIds) addTokens(modelTokens, tokensOf.get(id));
      usage.tokens = modelTokens;
      usage.series.tokens = pointsOf(
        tokensSeries,
        times,
        metric =>
          keyIds.has(metric[CLIENT_ID_LABEL]) &&
          (metric.gen_ai_token_type === 'input' ||
            metric.gen_ai_token_type === 'output'),
      );
      const names = new Map(current.map(k => [k.id, k.name]));
      const toKeyUsage = (keyId: string): KeyUsage => ({
        keyId,
        ...(names.has(keyId) ? { name: names.get(keyId) } : {}),
        requests: {
          ...(answersOf.get(keyId) ?? { total: 0, byStatusClass: {} }),
          rateLimited: limitedOf.get(keyId) ?? 0,
        },
        tokens: tokensOf.get(keyId) ?? emptyTokens(),
        headroom: names.has(keyId) ? headroomOf(keyId) : [],
      });
      // The current keys always; a former key only when it was used in the window.
      usage.keys = [
        ...current.map(k => toKeyUsage(k.id)),
        ...[...keyIds]
          .filter(id => !names.has(id))
          .filter(
            id => answersOf.has(id) || tokensOf.has(id) || limitedOf.has(id),
          )
          .sort()
          .map(toKeyUsage),
      ];
      return usage;
    },

    async tenantUsage(ctx, window) {
      const readable = await deps.access.tenantsAllowed(
        ctx.credentials,
        inferenceModelReadPermission,
      );
      const client = prometheus();
      const now = millis(clock() / 1000);
      const { seconds } = USAGE_WINDOW_SPECS[window];
      const [publications, tokenSamples, perTenant] = await Promise.all([
        deps.listPublications(readable),
        client.query(tokensByClient(undefined, seconds), now),
        Promise.all(
          readable.map(async tenant => {
            const clusters = namespaceClusters(tenant.namespace);
            const [byClass, limited, unauthorized] = await Promise.all([
              client.query(
                requestsByClass(clusters, seconds, ['envoy_cluster_name']),
                now,
              ),
              client.query(
                rateLimited(clusters, seconds, ['envoy_cluster_name']),
                now,
              ),
              client.query(
                answersWithCode(
                  namespaceRouteNames(tenant.namespace),
                  401,
                  seconds,
                  [ACCESS_LOG_LABELS.routeName],
                ),
                now,
              ),
            ]);
            return { byClass, limited, unauthorized };
          }),
        ),
      ]);
      const tokensOf = tokensPerClient(tokenSamples);
      return Promise.all(
        readable.map(async (tenant, index) => {
          const { byClass, limited, unauthorized } = perTenant[index];
          const routeOf = (s: InstantSample) =>
            routeOfCluster(s.metric.envoy_cluster_name ?? '')?.route;
          const routeOfLog = (s: InstantSample) =>
            routeOfRouteName(s.metric[ACCESS_LOG_LABELS.routeName] ?? '')
              ?.route;
          const requests = {
            ...envoyRequests(byClass, limited),
            unauthorized: sumOf(unauthorized),
          };
          const tokens = emptyTokens();
          const ofTenant = publications.filter(
            p =>
              p.cluster === tenant.cluster && p.namespace === tenant.namespace,
          );
          const models = await Promise.all(
            ofTenant.map(async publication => {
              const locator = {
                cluster: publication.cluster,
                namespace: publication.namespace,
                name: publication.model,
              };
              const modelRequests = {
                ...envoyRequests(
                  byClass.filter(s => routeOf(s) === publication.id),
                  limited.filter(s => routeOf(s) === publication.id),
                ),
                unauthorized: sumOf(
                  unauthorized.filter(s => routeOfLog(s) === publication.id),
                ),
              };
              if (publication.modelType !== 'openai')
                return { model: locator, requests: modelRequests };
              const modelTokens = emptyTokens();
              const ids = await keyIdsOf(
                locator,
                publication.apiKeys.map(k => k.id),
              );
              for (const id of ids) addTokens(modelTokens, tokensOf.get(id));
              addTokens(tokens, modelTokens);
              return {
                model: locator,
                requests: modelRequests,
                tokens: modelTokens,
              };
            }),
          );
          const usage: TenantUsage = {
            tenant: tenant.name,
            window,
            requests,
            tokens,
            models: models.sort((a, b) =>
              a.model.name.localeCompare(b.model.name),
            ),
            unavailable: [],
          };
          return usage;
        }),
      );
    },
  };
}

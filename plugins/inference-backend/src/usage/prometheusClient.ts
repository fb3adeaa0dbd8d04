import { ServiceUnavailableError } from '@backstage/errors';

/**
 * A small client of the Prometheus HTTP API (prometheus/prometheus docs/querying/api.md):
 * `POST /api/v1/query` and `/api/v1/query_range` with a form body, a deadline per request, and
 * every failure turned into a 503 that names the Prometheus host only (no path, no credentials,
 * no query). Credentials in the configured URL (`https://user:pass@host/`) are sent as Basic auth.
 */

/** One series of an instant query: its labels and value. */
export interface InstantSample {
  metric: Record<string, string>;
  value: number;
}

/** One series of a range query: its labels and `[unix seconds, value]` points. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

export interface PrometheusClient {
  /** An instant query evaluated at `time` (Unix seconds); a scalar result is one unlabelled sample. */
  query(promql: string, time: number): Promise<InstantSample[]>;
  queryRange(
    promql: string,
    range: { start: number; end: number; step: number },
  ): Promise<RangeSeries[]>;
}

/** Default deadline of one request, also sent to Prometheus as its query `timeout`. */
export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000;

type ApiAnswer = {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
};

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })
    ?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused the connection';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'could not be resolved';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'closed the connection';
    default:
      return `could not be reached${code ? ` (${code})` : ''}`;
  }
}

const toNumber = (value: unknown): number => Number(value);

export function createPrometheusClient(options: {
  url: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): PrometheusClient {
  const base = new URL(options.url);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new Error(
      `inference.usage.prometheusUrl must be an http or https URL, got ${base.protocol}`,
    );
  }
  const authorization =
    base.username || base.password
      ? `Basic ${Buffer.from(
          `${decodeURIComponent(base.username)}:${decodeURIComponent(
            base.password,
          )}`,
        ).toString('base64')}`
      : undefined;
  base.username = '';
  base.password = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const host = base.hostname;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? ((...args) => fetch(...args));
  const unavailable = (what: string) =>
    new ServiceUnavailableError(
      `Usage figures are unavailable: Prometheus (${host}) ${what}`,
    );

  async function call(
    path: 'api/v1/query' | 'api/v1/query_range',
    params: Record<string, string>,
    expected: 'vector' | 'matrix',
  ): Promise<unknown[]> {
    let response: Response;
    try {
      response = await fetchImpl(new URL(path, base), {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: new URLSearchParams({
          ...params,
          timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s`,
        }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw unavailable(`did not answer within ${timeoutMs / 1000} s`);
      }
      throw unavailable(describeNetworkError(error));
    }
    let body: ApiAnswer;
    try {
      body = (await response.json()) as ApiAnswer;
    } catch {
      throw unavailable(
        `answered HTTP ${response.status} without the API's JSON (is the URL a Prometheus?)`,
      );
    }
    if (!response.ok || body.status !== 'success') {
      throw unavailable(
        `failed the query (HTTP ${response.status}${
          body.errorType ? `, ${body.errorType}` : ''
        }${body.error ? `: ${body.error.slice(0, 200)}` : ''})`,
      );
    }
    const { resultType, result } = body.data ?? {};
    if (
      resultType === 'scalar' &&
      expected === 'vector' &&
      Array.isArray(result)
    )
      return [{ metric: {}, value: result }];
    if (resultType !== expected || !Array.isArray(result)) {
      throw unavailable(
        `answered a ${
          resultType ?? 'missing'
        } result where a ${expected} was expected`,
      );
    }
    return result;
  }

  return {
    async query(promql, time) {
      const result = await call(
        'api/v1/query',
        { query: promql, time: String(time) },
        'vector',
      );
      return (
        result as Array<{ metric: Record<string, string>; value: unknown[] }>
      ).map(sample => ({
        metric: sample.metric ?? {},
        value: toNumber(sample.value?.[1]),
      }));
    },

    async queryRange(promql, { start, end, step }) {
      const result = await call(
        'api/v1/query_range',
        {
          query: promql,
          start: String(start),
          end: String(end),
          step: String(step),
        },
        'matrix',
      );
      return (
        result as Array<{ metric: Record<string, string>; values: unknown[][] }>
      ).map(series => ({
        metric: series.metric ?? {},
        values: (series.values ?? []).map(
          ([t, v]) => [toNumber(t), toNumber(v)] as [number, number],
        ),
      }));
    },
  };
}

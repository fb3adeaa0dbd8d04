import { prometheusLabelName } from './headerAttributes';
import { CLIENT_GOLANG, Labels, MetricsRegistry } from './registry';

/**
 * The AI Gateway ext_proc's GenAI metrics as its admin server serves them
 * (`-adminPort` 1064, `/metrics`: envoyproxy/ai-gateway v1.1.0
 * cmd/extproc/mainlib/main.go, admin.go `promhttp.HandlerFor`).
 *
 * Instruments: internal/metrics/genai.go (names, descriptions, units and
 * explicit bucket boundaries) and metrics_impl.go (attributes). The OTel
 * Prometheus exporter (go.opentelemetry.io/otel/exporters/prometheus
 * v0.66.0) turns dots into underscores and appends the unit `s` as
 * `_seconds`; the unit `token` is not appended because the name already
 * holds that word (the names the upstream tests scrape:
 * tests/data-plane/vcr/prometheus_metrics_test.go, cmd/extproc/mainlib/
 * admin_test.go). It adds `otel_scope_name="envoyproxy/ai-gateway"` and
 * empty `otel_scope_schema_url` / `otel_scope_version` to every series;
 * client_golang sorts labels by name, families by name, series by label
 * values.
 */

/** Meter name of internal/metrics/metrics.go `NewMeterFromEnv`. */
const OTEL_SCOPE: Array<[string, string]> = [
  ['otel_scope_name', 'envoyproxy/ai-gateway'],
  ['otel_scope_schema_url', ''],
  ['otel_scope_version', ''],
];

/** `error.type` value for any failure (genai.go `genaiErrorTypeFallback`). */
const ERROR_TYPE_FALLBACK = '_OTHER';

/** What metrics_impl.go `buildBaseAttributes` reads for one request. */
export interface GenAiAttributes {
  /** `gen_ai.operation.name`: chat, completion, embeddings. */
  operation: string;
  /** `gen_ai.provider.name` (`SetBackend`: OpenAI schema = `openai`). */
  provider: string;
  /** `gen_ai.original.model`: the body's model before any override. */
  originalModel: string;
  /** `gen_ai.request.model`: the model sent upstream (override applied). */
  requestModel: string;
  /** `gen_ai.response.model`; `unknown` until a response body was read. */
  responseModel: string;
  /** A request header as the ext_proc saw it, by lower-case name. */
  header(name: string): string | undefined;
}

export type GenAiTokenType =
  | 'input'
  | 'cached_input'
  | 'cache_creation_input'
  | 'output'
  | 'reasoning';

export class GenAiMetrics {
  private readonly registry = new MetricsRegistry(CLIENT_GOLANG);

  private readonly tokenUsage = this.registry.histogram(
    'gen_ai_client_token_usage',
    [
      1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
      16777216, 67108864,
    ],
    'Number of tokens processed.',
  );

  private readonly requestDuration = this.registry.histogram(
    'gen_ai_server_request_duration_seconds',
    [
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48,
      40.96, 81.92,
    ],
    'Generative AI server request duration such as time-to-last byte or last output token.',
  );

  private readonly timeToFirstToken = this.registry.histogram(
    'gen_ai_server_time_to_first_token_seconds',
    [
      0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0,
      2.5, 5.0, 7.5, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0,
    ],
    'Time to receive first token in streaming responses.',
  );

  private readonly timePerOutputToken = this.registry.histogram(
    'gen_ai_server_time_per_output_token_seconds',
    [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5],
    'Time per output token generated after the first token for successful responses.',
  );

  constructor(
    /** Request header -> OTel attribute (`metricsRequestHeaderAttributes`). */
    private readonly headerAttributes: ReadonlyMap<string, string>,
  ) {}

  /**
   * `buildBaseAttributes`: the five GenAI attributes, then each mapped
   * request header that is present; `extra` (token or error type) added
   * last. One attribute set, so a repeated key keeps its last value.
   */
  private labels(attrs: GenAiAttributes, extra: Array<[string, string]>) {
    const set = new Map<string, string>([
      ['gen_ai.operation.name', attrs.operation],
      ['gen_ai.provider.name', attrs.provider],
      ['gen_ai.original.model', attrs.originalModel],
      ['gen_ai.request.model', attrs.requestModel],
      ['gen_ai.response.model', attrs.responseModel],
    ]);
    for (const [header, attribute] of this.headerAttributes) {
      const value = attrs.header(header);
      if (value !== undefined) set.set(attribute, value);
    }
    for (const [key, value] of extra) set.set(key, value);
    const labels: Labels = [
      ...[...set].map(
        ([key, value]) => [prometheusLabelName(key), value] as const,
      ),
      ...OTEL_SCOPE,
    ].sort(([a], [b]) => (a < b ? -1 : 1));
    return labels;
  }

  /** `RecordTokenUsage`: one observation per token type that was set. */
  recordTokenUsage(
    attrs: GenAiAttributes,
    counts: Array<[GenAiTokenType, number]>,
  ): void {
    for (const [type, count] of counts)
      this.tokenUsage.observe(
        this.labels(attrs, [['gen_ai.token.type', type]]),
        count,
      );
  }

  /** `RecordRequestCompletion`: failures carry `error.type="_OTHER"`. */
  recordRequestCompletion(
    attrs: GenAiAttributes,
    success: boolean,
    seconds: number,
  ): void {
    this.requestDuration.observe(
      this.labels(attrs, success ? [] : [['error.type', ERROR_TYPE_FALLBACK]]),
      seconds,
    );
  }

  /** `RecordTokenLatency`, first call of a stream. */
  recordTimeToFirstToken(attrs: GenAiAttributes, seconds: number): void {
    this.timeToFirstToken.observe(this.labels(attrs, []), seconds);
  }

  /** `RecordTokenLatency` at end of stream, more than one output token. */
  recordTimePerOutputToken(attrs: GenAiAttributes, seconds: number): void {
    this.timePerOutputToken.observe(this.labels(attrs, []), seconds);
  }

  /** The `/metrics` body; empty before the first observation. */
  render(): string {
    return this.registry.render();
  }
}

import { Endpoint } from '../aigateway/endpoints';
import { TokenUsage, responseSummary } from '../aigateway/tokenUsage';
import { UpstreamAnswer, UpstreamTiming } from '../proxy/forward';
import { GatewayRequest } from '../request';
import { GenAiAttributes, GenAiMetrics, GenAiTokenType } from './genAiMetrics';

/** One AI Gateway request as the upstream ext_proc filter knows it. */
export interface GenAiExchange {
  /** The ext_proc endpoint (request path), e.g. `/v1/chat/completions`. */
  endpointPath: string;
  /** The body's `model`. */
  originalModel: string;
  /** The model sent upstream (`modelNameOverride` applied). */
  requestModel: string;
  /** The body's `stream: true` (the translator's `stream`). */
  stream: boolean;
}

export function genAiExchange(
  endpoint: Endpoint,
  json: Record<string, unknown>,
  requestModel: string,
): GenAiExchange {
  return {
    endpointPath: endpoint.path,
    originalModel: String(json.model),
    requestModel,
    stream: json.stream === true,
  };
}

/**
 * Per endpoint, what its OpenAI->OpenAI translator reports
 * (envoyproxy/ai-gateway v1.1.0 internal/translator/openai_openai.go,
 * openai_completions.go, openai_embeddings.go; operation names of
 * internal/metrics/genai.go as registered in cmd/extproc/mainlib/main.go):
 * - `usageAlways`: a JSON body sets input/output even without `usage`
 *   (zeros); otherwise only when `usage` is present;
 * - `output`: the endpoint reports output, cached and reasoning counts
 *   (embeddings report input only);
 * - `modelFallback`: a response without `model` reports the request model
 *   (chat); otherwise an empty model.
 */
const ENDPOINTS: Record<
  string,
  {
    operation: string;
    usageAlways: boolean;
    output: boolean;
    modelFallback: boolean;
  }
> = {
  '/v1/chat/completions': {
    operation: 'chat',
    usageAlways: true,
    output: true,
    modelFallback: true,
  },
  '/v1/completions': {
    operation: 'completion',
    usageAlways: false,
    output: true,
    modelFallback: false,
  },
  '/v1/embeddings': {
    operation: 'embeddings',
    usageAlways: true,
    output: false,
    modelFallback: false,
  },
};

/** `metrics.TokenUsage` fields that were set, in `RecordTokenUsage`'s order. */
function tokenCounts(
  usage: TokenUsage,
  output: boolean,
): Array<[GenAiTokenType, number]> {
  const counts: Array<[GenAiTokenType, number | undefined]> = output
    ? [
        ['input', usage.input],
        ['cached_input', usage.cachedInput],
        ['cache_creation_input', usage.cacheCreationInput],
        ['output', usage.output],
        ['reasoning', usage.reasoning],
      ]
    : [['input', usage.input]];
  return counts.filter(
    (c): c is [GenAiTokenType, number] => c[1] !== undefined,
  );
}

const EMPTY_USAGE: TokenUsage = { input: 0, output: 0, total: 0 };

/**
 * What AI Gateway v1.1.0's upstream ext_proc records for one exchange
 * (internal/extproc/processor_impl.go upstreamProcessor, metrics_impl.go):
 * - the clock starts at the upstream request headers (`StartRequest`);
 * - a non-2xx response, or a JSON body that does not parse: one request
 *   duration with `error.type="_OTHER"`, response model `unknown`;
 * - a stream (`stream: true`): time to first token at the first response
 *   body call; at the end, time per output token = (duration - time to
 *   first token) / (output tokens - 1) when more than one output token and
 *   the end is a later call than the first; token usage once at the end,
 *   only if an event carried `usage`;
 * - otherwise token usage per the endpoint's translator;
 * - then the request duration (success), at the last body call.
 * The double sees body chunks as Node delivers them and the end as a call
 * of its own; Envoy's chunking may differ. A connection failure records
 * nothing (no response reaches the ext_proc).
 */
export function recordGenAiExchange(
  metrics: GenAiMetrics,
  exchange: GenAiExchange,
  request: GatewayRequest,
  timing: UpstreamTiming,
  answer: UpstreamAnswer | undefined,
): void {
  const endpoint = ENDPOINTS[exchange.endpointPath];
  if (!endpoint || !answer || timing.end === undefined) return;
  const seconds = (at: number) => (at - timing.start) / 1000;
  const attrs: GenAiAttributes = {
    operation: endpoint.operation,
    provider: 'openai',
    originalModel: exchange.originalModel,
    requestModel: exchange.requestModel,
    responseModel: 'unknown',
    // internal/extproc/server.go `headersToMap`: the last value wins.
    header: name => request.allHeaders(name).at(-1),
  };
  const summary = responseSummary(answer);
  if (answer.status < 200 || answer.status > 299 || !summary.parsed) {
    metrics.recordRequestCompletion(attrs, false, seconds(timing.end));
    return;
  }
  attrs.responseModel =
    summary.model ?? (endpoint.modelFallback ? exchange.requestModel : '');
  if (exchange.stream) {
    const firstCall = timing.firstBodyChunk ?? timing.end;
    metrics.recordTimeToFirstToken(attrs, seconds(firstCall));
    const output = summary.usage?.output ?? 0;
    if (timing.firstBodyChunk !== undefined && output > 1) {
      metrics.recordTimePerOutputToken(
        attrs,
        (seconds(timing.end) - seconds(firstCall)) / (output - 1),
      );
    }
    if (summary.usage)
      metrics.recordTokenUsage(
        attrs,
        tokenCounts(summary.usage, endpoint.output),
      );
  } else {
    const usage =
      summary.usage ?? (endpoint.usageAlways ? EMPTY_USAGE : undefined);
    if (usage)
      metrics.recordTokenUsage(attrs, tokenCounts(usage, endpoint.output));
  }
  metrics.recordRequestCompletion(attrs, true, seconds(timing.end));
}

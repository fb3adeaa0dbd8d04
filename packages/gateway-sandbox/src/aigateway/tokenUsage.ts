import { GatewayObjectCache } from '../objects/objectCache';
import { UpstreamAnswer } from '../proxy/forward';
import { DynamicMetadata } from '../ratelimit/rateLimitFilter';
import { RouteEntry } from '../routing/types';
import { owningAiGatewayRoute } from './upstream';

/** aigv1b1.AIGatewayFilterMetadataNamespace (api/v1beta1). */
export const AI_GATEWAY_METADATA_NAMESPACE = 'io.envoy.ai_gateway';

export interface TokenUsage {
  input: number;
  output: number;
  total: number;
  /** `prompt_tokens_details` cached / cache creation counts, when the details are present. */
  cachedInput?: number;
  cacheCreationInput?: number;
  /** `completion_tokens_details.reasoning_tokens`, when the details are present. */
  reasoning?: number;
}

/** What the translator reads from an OpenAI response body. */
export interface OpenAiResponseSummary {
  /** False for a JSON body that does not parse (the translator fails). */
  parsed: boolean;
  usage?: TokenUsage;
  /** The body's `model`, or the last stream event's that has one. */
  model?: string;
}

/**
 * An OpenAI response body as AI Gateway v1.1.0's OpenAI->OpenAI translator
 * reads it (internal/translator/openai_openai.go `ResponseBody`): `usage`
 * (`prompt_tokens`, `completion_tokens`, `total_tokens`, the cached and
 * cache-creation counts of `prompt_tokens_details`, `reasoning_tokens` of
 * `completion_tokens_details`) and `model` of a JSON body; for
 * `text/event-stream`, the last `data:` event carrying `usage`
 * (`extractUsageFromBufferEvent`) and the last non-empty `model`.
 */
export function summariseResponse(
  contentType: string,
  body: Buffer,
): OpenAiResponseSummary {
  const text = body.toString('utf8');
  const stream = contentType.includes('text/event-stream');
  const events = stream
    ? text
        .split('\n')
        .filter(line => line.startsWith('data:'))
        .map(line => line.slice('data:'.length).trim())
        .filter(data => data !== '[DONE]')
    : [text];
  const summary: OpenAiResponseSummary = { parsed: true };
  for (const event of events) {
    const json = parseJson(event);
    if (json === undefined && !stream) summary.parsed = false;
    if (typeof json?.model === 'string' && json.model)
      summary.model = json.model;
    const usage = json?.usage;
    if (usage && typeof usage === 'object') summary.usage = tokenUsage(usage);
  }
  return summary;
}

function tokenUsage(usage: any): TokenUsage {
  const found: TokenUsage = {
    input: Number(usage.prompt_tokens ?? 0),
    output: Number(usage.completion_tokens ?? 0),
    total: Number(usage.total_tokens ?? 0),
  };
  const prompt = usage.prompt_tokens_details;
  if (prompt && typeof prompt === 'object') {
    found.cachedInput = Number(prompt.cached_tokens ?? 0);
    found.cacheCreationInput = Number(prompt.cache_creation_input_tokens ?? 0);
  }
  const completion = usage.completion_tokens_details;
  if (completion && typeof completion === 'object')
    found.reasoning = Number(completion.reasoning_tokens ?? 0);
  return found;
}

const summaries = new WeakMap<UpstreamAnswer, OpenAiResponseSummary>();

/** The summary of an upstream answer, read once for costs and metrics. */
export function responseSummary(answer: UpstreamAnswer): OpenAiResponseSummary {
  let summary = summaries.get(answer);
  if (!summary) {
    summary = summariseResponse(answer.contentType, answer.body);
    summaries.set(answer, summary);
  }
  return summary;
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The dynamic metadata the ext_proc emits at the end of a successful (2xx)
 * response, nothing otherwise (internal/extproc/processor_impl.go: a bad
 * status returns before `buildDynamicMetadata`; `evalCost`): each
 * `llmRequestCosts` entry of the route's AIGatewayRoute sets `metadataKey`
 * to its token count. Types other than InputToken, OutputToken and
 * TotalToken (cached, reasoning, CEL) are not reproduced and set nothing.
 */
export function tokenCostMetadata(
  entry: RouteEntry,
  cache: GatewayObjectCache,
  answer: UpstreamAnswer | undefined,
): DynamicMetadata {
  if (!answer || answer.status < 200 || answer.status > 299) return {};
  const usage = responseSummary(answer).usage;
  if (!usage) return {};
  const counts: Record<string, number> = {
    InputToken: usage.input,
    OutputToken: usage.output,
    TotalToken: usage.total,
  };
  const costs: Record<string, number> = {};
  for (const cost of owningAiGatewayRoute(entry, cache)?.spec
    ?.llmRequestCosts ?? []) {
    if (cost.type in counts) costs[cost.metadataKey] = counts[cost.type];
  }
  return { [AI_GATEWAY_METADATA_NAMESPACE]: costs };
}

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
}

/**
 * Token usage of an OpenAI response, as AI Gateway v1.1.0's OpenAI->OpenAI
 * translator reads it (internal/translator/openai_openai.go
 * `ResponseBody`): `usage.prompt_tokens` / `completion_tokens` /
 * `total_tokens` of a JSON body; for `text/event-stream`, the last `data:`
 * event carrying `usage` (`extractUsageFromBufferEvent`). Undefined when
 * the body holds no usage.
 */
export function readTokenUsage(
  contentType: string,
  body: Buffer,
): TokenUsage | undefined {
  const text = body.toString('utf8');
  const events = contentType.includes('text/event-stream')
    ? text
        .split('\n')
        .filter(line => line.startsWith('data:'))
        .map(line => line.slice('data:'.length).trim())
        .filter(data => data !== '[DONE]')
    : [text];
  let found: TokenUsage | undefined;
  for (const event of events) {
    const usage = parseJson(event)?.usage;
    if (usage && typeof usage === 'object') {
      found = {
        input: Number(usage.prompt_tokens ?? 0),
        output: Number(usage.completion_tokens ?? 0),
        total: Number(usage.total_tokens ?? 0),
      };
    }
  }
  return found;
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
  const usage = readTokenUsage(answer.contentType, answer.body);
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

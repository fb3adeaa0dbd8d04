/**
 * The router-level ext_proc of Envoy AI Gateway v1.1.0, request side.
 *
 * Paths (envoyproxy/ai-gateway v1.1.0 cmd/extproc/mainlib/main.go
 * `server.Register`, with the default root prefix `/` and OpenAI endpoint
 * prefix `/` from internal/internalapi/internalapi.go): only exact paths
 * have a processor; any other path is answered 404 `unsupported path:
 * <:path>` (internal/extproc/server.go `processorForPath`; the :path
 * printed includes the query string).
 */

export interface Endpoint {
  /** Request path the processor is registered for. */
  path: string;
  /** Path the OpenAI->OpenAI translator sends upstream, after the schema prefix. */
  upstreamSuffix?: string;
}

/** Processors this double reproduces (internal/translator/openai_*.go). */
const SUPPORTED: Endpoint[] = [
  { path: '/v1/chat/completions', upstreamSuffix: 'chat/completions' },
  { path: '/v1/completions', upstreamSuffix: 'completions' },
  { path: '/v1/embeddings', upstreamSuffix: 'embeddings' },
];

/** Registered upstream, not reproduced by this double yet. */
const NOT_YET = [
  '/v1/responses',
  '/v1/responses/input_tokens',
  '/v1/audio/speech',
  '/v1/audio/transcriptions',
  '/v1/audio/translations',
  '/v1/images/generations',
  '/v2/rerank',
  '/v1/models',
  '/v1/messages',
  '/tokenize',
  '/v1/messages/count_tokens',
];

export type EndpointLookup =
  | { type: 'supported'; endpoint: Endpoint }
  | { type: 'notYet' }
  | { type: 'unsupportedPath'; body: string };

export function lookupEndpoint(
  path: string,
  pathAndQuery: string,
): EndpointLookup {
  const endpoint = SUPPORTED.find(e => e.path === path);
  if (endpoint) return { type: 'supported', endpoint };
  if (NOT_YET.includes(path)) return { type: 'notYet' };
  return { type: 'unsupportedPath', body: `unsupported path: ${pathAndQuery}` };
}

/** `x-ai-eg-model`: aigv1b1.AIModelHeaderKey (api/v1beta1). */
export const MODEL_HEADER = 'x-ai-eg-model';
/** internal/internalapi/internalapi.go OriginalPathHeader / EnvoyOriginalPathHeader. */
export const ORIGINAL_PATH_HEADERS = [
  'x-ai-eg-original-path',
  'x-envoy-original-path',
];

export type ParsedBody =
  | { ok: true; model: string; json: Record<string, unknown> }
  | { ok: false; status: number; body: string };

/**
 * Reads `model` from the JSON body (internal/endpointspec/endpointspec.go
 * `ParseBody`). A body that is not JSON gets 400 with the user-facing error
 * JSON of internal/extproc/processor_impl.go `formatUserFacingErrorJSON`;
 * the trailing Go decoder message differs from upstream's (JavaScript's
 * parser message is used instead).
 */
export function parseModel(endpoint: Endpoint, body: Buffer): ParsedBody {
  try {
    const json = JSON.parse(body.toString('utf8'));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new Error('body is not a JSON object');
    }
    return {
      ok: true,
      model: typeof json.model === 'string' ? json.model : '',
      json,
    };
  } catch (error) {
    const message = `malformed request: failed to parse JSON for ${
      endpoint.path
    }: ${(error as Error).message}`;
    return {
      ok: false,
      status: 400,
      body: `{"type":"error","error":{"type":"BadRequest","code":"400","message":${JSON.stringify(
        message,
      )}}}`,
    };
  }
}

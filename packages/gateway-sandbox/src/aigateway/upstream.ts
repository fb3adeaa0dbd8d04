import { posix } from 'node:path';
import { GatewayObjectCache } from '../objects/objectCache';
import { KubeObject } from '../objects/types';
import { RouteEntry } from '../routing/types';
import { Endpoint } from './endpoints';

/**
 * Marks the HTTPRoutes the AI Gateway controller generates
 * (envoyproxy/ai-gateway v1.1.0 internal/controller/ai_gateway_route.go sets
 * `gateway.envoyproxy.io/ai-gateway-generated: "true"`); the extension
 * server enables the ext_proc filter only on those routes
 * (internal/extensionserver/post_translate_modify.go).
 */
export function isAiGatewayGenerated(route: KubeObject): boolean {
  return (
    route.metadata.annotations?.[
      'gateway.envoyproxy.io/ai-gateway-generated'
    ] === 'true'
  );
}

export type AiUpstream =
  | {
      ok: true;
      path: string;
      body: Buffer;
      /** The body's model after `modelNameOverride` (the metrics' request model). */
      model: string;
    }
  | { ok: false; status: number; body: string };

/**
 * The upstream side of the ext_proc for the backend the router picked
 * (internal/extproc/processor_impl.go upstream processor,
 * internal/translator/openai_openai.go): the generated HTTPRoute's rule i,
 * backendRef j is the AIGatewayRoute's rule i, backendRef j; its
 * AIServiceBackend gives the schema and the path prefix
 * (`path.Join("/", prefix, "chat/completions")`), and `modelNameOverride`
 * replaces `model` in the body. The body is re-serialised by JSON.stringify
 * (upstream edits it in place with sjson, keeping its formatting).
 */
export function translateForBackend(
  entry: RouteEntry,
  backendIndex: number,
  endpoint: Endpoint,
  json: Record<string, unknown>,
  cache: GatewayObjectCache,
): AiUpstream {
  const namespace = entry.route.metadata.namespace;
  const aiRoute = owningAiGatewayRoute(entry, cache);
  const ref =
    aiRoute?.spec?.rules?.[entry.ruleIndex]?.backendRefs?.[backendIndex];
  if (!ref)
    return failure(
      500,
      'no AIGatewayRoute backend for the selected route rule',
    );
  if (ref.kind === 'InferencePool')
    return failure(500, 'InferencePool backends');
  const backend = cache.get(
    'AIServiceBackend',
    ref.namespace ?? namespace,
    ref.name,
  );
  if (!backend) return failure(500, `AIServiceBackend ${ref.name}`);
  const schema = backend.spec?.schema ?? {};
  if (schema.name !== 'OpenAI')
    return failure(500, `API schema ${schema.name}`);
  const body = ref.modelNameOverride
    ? { ...json, model: ref.modelNameOverride }
    : json;
  return {
    ok: true,
    path: posix.join('/', schema.prefix ?? '', endpoint.upstreamSuffix!),
    body: Buffer.from(JSON.stringify(body)),
    model: String(body.model),
  };
}

/** The AIGatewayRoute that generated the selected HTTPRoute (same name). */
export function owningAiGatewayRoute(
  entry: RouteEntry,
  cache: GatewayObjectCache,
): KubeObject | undefined {
  const owner = entry.route.metadata.ownerReferences?.find(
    o => o.kind === 'AIGatewayRoute',
  );
  return cache.get(
    'AIGatewayRoute',
    entry.route.metadata.namespace,
    owner?.name ?? entry.route.metadata.name,
  );
}

function failure(status: number, what: string): AiUpstream {
  return {
    ok: false,
    status,
    body: `gateway-sandbox: ${what} not supported or not found by this test double\n`,
  };
}

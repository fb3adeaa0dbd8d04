import { IncomingMessage, ServerResponse } from 'node:http';
import {
  Endpoint,
  MODEL_HEADER,
  ORIGINAL_PATH_HEADERS,
  lookupEndpoint,
  parseModel,
} from './aigateway/endpoints';
import { tokenCostMetadata } from './aigateway/tokenUsage';
import {
  isAiGatewayGenerated,
  translateForBackend,
} from './aigateway/upstream';
import { RemoteJwksCache } from './filters/remoteJwks';
import { authenticate, authorize } from './filters/securityFilters';
import { GatewayObjectCache } from './objects/objectCache';
import {
  knativeRouteWithoutTraffic,
  resolveMeshDestination,
} from './mesh/knativeRoutes';
import { destinationWorkload } from './mesh/destinationWorkload';
import {
  ResolveBackend,
  ValidSetting,
  backendSettings,
  chooseBackend,
} from './proxy/backends';
import { GatewayMetrics } from './metrics/gatewayMetrics';
import { GenAiExchange, genAiExchange } from './metrics/genAiExchange';
import {
  ForwardOptions,
  UpstreamAnswer,
  forwardRequest,
  startUpstreamTiming,
} from './proxy/forward';
import { applyGlobalRateLimit } from './ratelimit/rateLimitFilter';
import { FixedWindowCounters } from './ratelimit/fixedWindowCounters';
import { GatewayRequest } from './request';
import { GatewayRef } from './routing/attachment';
import { RouteTable, selectRoute } from './routing/routeTable';
import {
  applyRequestMutations,
  applyResponseMutations,
} from './routing/headerModifiers';
import { resolveRuleAction, rewritePath } from './routing/ruleActions';
import { RouteEntry } from './routing/types';

export interface PipelineContext {
  cache: GatewayObjectCache;
  gateway: GatewayRef;
  routeTable: () => RouteTable;
  resolveBackend: ResolveBackend;
  rateLimitCounters: FixedWindowCounters;
  metrics: GatewayMetrics;
  jwks: RemoteJwksCache;
  /** Milliseconds since the epoch (rate limit windows, JWT times, JWKS). */
  clock: () => number;
  /** [0, 1) for Envoy's weighted picks (default Math.random). */
  random?: () => number;
}

/**
 * What the access log reads when the stream ends (configs/envoy-gateway/envoyproxy.yaml): the
 * request with the headers the filters set (`%REQ(...)%`), and the route last selected
 * (`%ROUTE_NAME%`, the route cache after ext_proc's re-selection).
 */
export interface AccessLogState {
  request?: GatewayRequest;
  entry?: RouteEntry;
}

/** A local reply: Envoy sends `text/plain` when there is a body. */
function reply(
  res: ServerResponse,
  status: number,
  body = '',
  contentType = 'text/plain',
  headers: Record<string, string> = {},
): undefined {
  res.writeHead(status, {
    ...(body ? { 'content-type': contentType } : {}),
    ...headers,
  });
  res.end(body);
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * One request through the filter chain in Envoy Gateway v1.9.0's order
 * (internal/xds/translator/httpfilters.go `newOrderedHTTPFilter`:
 * api_key_auth is 7, jwt_authn 10, ext_proc 100+, rbac 301, ratelimit 303,
 * router last; AI Gateway
 * v1.1.0 inserts its ext_proc before the first ext_proc, wasm, lua, rbac,
 * rate limit, ... or router filter, internal/extensionserver/
 * post_translate_modify.go `afterExtProcFilterPrefixes`, so rbac and the
 * global rate limit see the route re-selected after the model header is
 * set; see filters/securityFilters.ts). The
 * route is selected from the headers before the body is read; filters run
 * with the selected route's per-route config.
 */
export async function handleRequest(
  ctx: PipelineContext,
  req: IncomingMessage,
  res: ServerResponse,
  log: AccessLogState = {},
) {
  const request = GatewayRequest.fromIncoming(req);
  log.request = request;
  const table = ctx.routeTable();
  let entry = selectRoute(table, request.view());
  log.entry = entry;
  // Envoy: no virtual host or no route matched -> 404 without a body.
  if (!entry) return reply(res, 404);

  const authn = await authenticate(ctx, entry, request);
  if (authn.type === 'denied') {
    const { status, body, headers } = authn.denial;
    return reply(res, status, body, undefined, headers);
  }
  if (authn.recomputeRoute) {
    // jwt_authn with recomputeRoute cleared the route cache.
    entry = selectRoute(table, request.view());
    log.entry = entry;
    if (!entry) return reply(res, 404);
  }

  let ai:
    | { endpoint: Endpoint; json: Record<string, unknown>; raw: Buffer }
    | undefined;
  if (isAiGatewayGenerated(entry.route)) {
    const lookup = lookupEndpoint(request.path, request.pathAndQuery);
    if (lookup.type === 'unsupportedPath') return reply(res, 404, lookup.body);
    if (lookup.type === 'notYet') {
      return reply(
        res,
        501,
        `gateway-sandbox: AI Gateway endpoint ${request.path} is not supported by this test double yet\n`,
      );
    }
    const raw = await readBody(req);
    const parsed = parseModel(lookup.endpoint, raw);
    if (!parsed.ok)
      return reply(res, parsed.status, parsed.body, 'application/json');
    // ext_proc sets the model header (overwriting the client's) and clears
    // the route cache, so the router selects the route again. The filters
    // before ext_proc (api_key_auth, jwt_authn) do not run again: upstream
    // behaviour.
    request.setHeader(MODEL_HEADER, parsed.model);
    for (const header of ORIGINAL_PATH_HEADERS)
      request.setHeader(header, request.pathAndQuery);
    entry = selectRoute(table, request.view());
    log.entry = entry;
    if (!entry) return reply(res, 404);
    ai = { endpoint: lookup.endpoint, json: parsed.json, raw };
  }
  const forbidden = authorize(ctx, entry, request, authn.jwtPayloads);
  if (forbidden) return reply(res, forbidden.status, forbidden.body);
  const limit = applyGlobalRateLimit(
    ctx.cache,
    ctx.rateLimitCounters,
    ctx.gateway,
    entry,
    request,
  );
  ctx.metrics.rateLimit(entry, limit);
  if (limit.type === 'failed') return reply(res, limit.status, limit.body);
  if (limit.type === 'refused')
    return reply(res, limit.status, '', undefined, limit.headers);
  const answer = await route(ctx, entry, request, ai ?? null, req, res, {
    responseHeaders: limit.headers,
    keepBody: ai !== undefined,
  });
  limit.streamDone(
    isAiGatewayGenerated(entry.route)
      ? tokenCostMetadata(entry, ctx.cache, answer)
      : {},
  );
  return undefined;
}

async function route(
  ctx: PipelineContext,
  entry: RouteEntry,
  request: GatewayRequest,
  ai: { endpoint: Endpoint; json: Record<string, unknown>; raw: Buffer } | null,
  req: IncomingMessage,
  res: ServerResponse,
  forward: ForwardOptions,
): Promise<UpstreamAnswer | undefined> {
  const action = resolveRuleAction(entry, ctx.cache);
  if (action.type === 'direct') {
    return reply(
      res,
      action.status,
      action.body,
      undefined,
      forward.responseHeaders,
    );
  }
  // Envoy's local reply when the cluster it routes to has no host to send to.
  const noHealthyUpstream = () => {
    ctx.metrics.unresolvedTarget(entry, 503);
    return reply(
      res,
      503,
      'no healthy upstream',
      undefined,
      forward.responseHeaders,
    );
  };
  // Envoy's cluster holds a host for a backend when its name resolves; a
  // Knative Route's placeholder Service exists only once the Route has
  // ready traffic (mesh/knativeRoutes.ts).
  const hasHosts = (setting: ValidSetting) =>
    ctx.resolveBackend(setting.state.hostname, setting.state.port) !==
      undefined &&
    knativeRouteWithoutTraffic(ctx.cache, setting.state.hostname) === undefined;
  const choice = chooseBackend(
    backendSettings(entry, ctx.cache),
    hasHosts,
    ctx.random,
  );
  switch (choice.type) {
    case 'backend':
      break;
    case 'noValidBackend':
    case 'invalidBackend':
      // EG's 500 direct response, or Envoy's cluster_not_found_response_code
      // for `invalid-backend-cluster`: no cluster, no body.
      return reply(res, 500, '', undefined, forward.responseHeaders);
    case 'notSupported':
      return reply(
        res,
        500,
        `gateway-sandbox: ${choice.what} is not supported by this test double yet\n`,
      );
    case 'noHealthyUpstream':
      return noHealthyUpstream();
    default:
      return reply(res, 500);
  }
  const backend = choice.setting;

  let pathAndQuery =
    rewritePath(request.path, action.pathRewrite) +
    (request.query ? `?${request.query}` : '');
  let body: Buffer | IncomingMessage = ai?.raw ?? req;
  let genAi: GenAiExchange | undefined;
  if (ai && isAiGatewayGenerated(entry.route)) {
    // The upstream ext_proc learns the backend Envoy picked from the
    // endpoint's metadata (post_translate_modify.go
    // `setEndpointMetadataBackendName`): the same index.
    const upstream = translateForBackend(
      entry,
      backend.index,
      ai.endpoint,
      ai.json,
      ctx.cache,
    );
    if (!upstream.ok) return reply(res, upstream.status, upstream.body);
    pathAndQuery = upstream.path;
    body = upstream.body;
    genAi = genAiExchange(ai.endpoint, ai.json, upstream.model);
  }
  // Request headers as Envoy finalizes them: the weighted cluster's (the
  // backendRef's filters) first, then the route's, whose `set` and host
  // rewrite therefore win (weighted_cluster_specifier.cc
  // `WeightedClusterEntry::finalizeRequestHeaders`, config_impl.cc
  // `RouteEntryImplBase::finalizeRequestHeaders`).
  const backendFilters = backend.state.filters;
  applyRequestMutations(request, backendFilters?.requestHeaders);
  if (backendFilters?.hostRewrite !== undefined)
    request.setHeader('host', backendFilters.hostRewrite);
  applyRequestMutations(request, action.requestHeaders);
  if (action.hostRewrite) {
    const originalHost = request.host;
    const host =
      'literal' in action.hostRewrite
        ? action.hostRewrite.literal
        : backend.state.hostname;
    request.setHeader('host', host);
    // EG sets append_x_forwarded_host with a hostname rewrite (route.go).
    const forwarded = request.firstHeader('x-forwarded-host');
    request.setHeader(
      'x-forwarded-host',
      forwarded ? `${forwarded},${originalHost}` : originalHost,
    );
  }
  // Tier 2: the gateway proxy's Istio sidecar routes a Knative Route's name
  // by Host to one of its revisions.
  const mesh = resolveMeshDestination(
    ctx.cache,
    backend.state.hostname,
    backend.state.port,
    request.host,
    ctx.random,
  );
  if (mesh.type === 'noTraffic') {
    // Only a Route that lost its traffic since hasHosts looked.
    return noHealthyUpstream();
  }
  // The sidecar's own answers reach Envoy as the upstream's response (the
  // response header changes apply, as in proxy/forward.ts).
  const sidecarReply = (status: number, text: string) => {
    const timing = { ...startUpstreamTiming(), attached: true, status };
    const headers: Record<string, string | string[]> = {
      'content-type': 'text/plain',
    };
    applyResponseMutations(headers, backendFilters?.responseHeaders);
    applyResponseMutations(headers, action.responseHeaders);
    res.writeHead(status, { ...headers, ...forward.responseHeaders });
    res.end(text);
    timing.end = performance.now();
    const answer = {
      status,
      contentType: 'text/plain',
      body: Buffer.from(text),
    };
    ctx.metrics.upstreamExchange(entry, request, timing, answer, genAi);
    return answer;
  };
  if (mesh.type === 'notRouted') {
    // Passed through to the placeholder's cluster IP, which has no
    // endpoints; the answer text is assumed (not verified on a cluster).
    return sidecarReply(
      503,
      'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
    );
  }
  const destination =
    mesh.type === 'revision'
      ? { hostname: mesh.hostname, port: mesh.port }
      : { hostname: backend.state.hostname, port: backend.state.port };
  const baseUrl = ctx.resolveBackend(destination.hostname, destination.port);
  if (!baseUrl) {
    // A revision without endpoints: the sidecar's `no healthy upstream`.
    if (mesh.type === 'revision')
      return sidecarReply(503, 'no healthy upstream');
    return noHealthyUpstream();
  }
  const timing = startUpstreamTiming();
  const answer = await forwardRequest(
    request,
    body,
    new URL(pathAndQuery, baseUrl),
    res,
    {
      ...forward,
      timing,
      destination: destination.hostname,
      responseMutations: [
        backendFilters?.responseHeaders,
        action.responseHeaders,
      ],
    },
  );
  ctx.metrics.upstreamExchange(entry, request, timing, answer, genAi);
  // The answering pod's sidecar counts it (metrics/istioStats.ts).
  ctx.metrics.modelExchange(
    destinationWorkload(ctx.cache, destination.hostname, mesh),
    timing,
  );
  return answer;
}

import { GatewayObjectCache } from '../objects/objectCache';
import {
  HeaderMutations,
  addHeaderModifier,
  emptyMutations,
} from './headerModifiers';
import { RouteEntry } from './types';

export type PathRewrite =
  | { type: 'prefixToSlash'; prefix: string }
  | { type: 'prefix'; prefix: string; replacement: string }
  | { type: 'full'; path: string };

export type RuleAction =
  | { type: 'direct'; status: number; body?: string }
  | {
      type: 'forward';
      pathRewrite?: PathRewrite;
      /** Literal Host, or `backend` for Envoy's auto_host_rewrite. */
      hostRewrite?: { literal: string } | { backend: true };
      /** The route's `request_headers_to_add`/`_to_remove`. */
      requestHeaders?: HeaderMutations;
      /** The route's `response_headers_to_add`/`_to_remove` (upstream answers). */
      responseHeaders?: HeaderMutations;
    };

/**
 * Turns a rule's filters into what Envoy does for the route
 * (envoyproxy/gateway v1.9.0 internal/gatewayapi/filters.go,
 * internal/xds/translator/route.go `buildXdsURLRewriteAction`,
 * `buildXdsDirectResponseAction`). A filter Envoy Gateway cannot translate
 * (e.g. an ExtensionRef to a missing HTTPRouteFilter) makes the rule answer
 * 500, as upstream does; a filter this double does not reproduce yet answers
 * 500 too, saying so, rather than being skipped.
 */
export function resolveRuleAction(
  entry: RouteEntry,
  cache: GatewayObjectCache,
): RuleAction {
  let action: RuleAction = { type: 'forward' };
  for (const filter of entry.rule.filters ?? []) {
    const next = applyFilter(action, filter, entry, cache);
    if (next.type === 'direct') return next;
    action = next;
  }
  return action;
}

function applyFilter(
  action: RuleAction & { type: 'forward' },
  filter: any,
  entry: RouteEntry,
  cache: GatewayObjectCache,
): RuleAction {
  if (filter.type === 'URLRewrite') {
    return withUrlRewrite(action, filter.urlRewrite ?? {}, entry);
  }
  if (
    filter.type === 'RequestHeaderModifier' ||
    filter.type === 'ResponseHeaderModifier'
  ) {
    // filters.go `processRequestHeaderModifierFilter`/`processResponse...`:
    // an error fails the rule's filters, so the rule answers 500.
    const key =
      filter.type === 'RequestHeaderModifier'
        ? 'requestHeaders'
        : 'responseHeaders';
    const mutations = action[key] ?? emptyMutations();
    const error = addHeaderModifier(
      mutations,
      filter.type === 'RequestHeaderModifier'
        ? filter.requestHeaderModifier
        : filter.responseHeaderModifier,
    );
    if (error) return { type: 'direct', status: 500 };
    return { ...action, [key]: mutations };
  }
  if (filter.type === 'ExtensionRef') {
    const ref = filter.extensionRef ?? {};
    if (
      ref.group !== 'gateway.envoyproxy.io' ||
      ref.kind !== 'HTTPRouteFilter'
    ) {
      return unsupported(`ExtensionRef ${ref.group}/${ref.kind}`);
    }
    const routeFilter = cache.get(
      'HTTPRouteFilter',
      entry.route.metadata.namespace,
      ref.name,
    );
    // Upstream: "Unable to translate HTTPRouteFilter" and a 500 direct response.
    if (!routeFilter) return { type: 'direct', status: 500 };
    const spec = routeFilter.spec ?? {};
    if (spec.directResponse) return directResponse(spec.directResponse);
    if (spec.urlRewrite) return withUrlRewrite(action, spec.urlRewrite, entry);
    return unsupported(
      `HTTPRouteFilter ${ref.name} (fields ${Object.keys(spec).join(', ')})`,
    );
  }
  return unsupported(`filter type ${filter.type}`);
}

function withUrlRewrite(
  action: RuleAction & { type: 'forward' },
  rewrite: any,
  entry: RouteEntry,
): RuleAction {
  const next = { ...action };
  const hostname = rewrite.hostname;
  if (typeof hostname === 'string') {
    next.hostRewrite = { literal: hostname };
  } else if (hostname?.type === 'Backend') {
    next.hostRewrite = { backend: true };
  } else if (hostname) {
    return unsupported(`hostname rewrite type ${hostname.type}`);
  }
  const path = rewrite.path;
  if (path?.type === 'ReplaceFullPath') {
    next.pathRewrite = { type: 'full', path: path.replaceFullPath };
  } else if (path?.type === 'ReplacePrefixMatch') {
    const match = entry.match.path;
    // Upstream rejects ReplacePrefixMatch without a PathPrefix match.
    if (match?.type !== 'PathPrefix') return { type: 'direct', status: 500 };
    const replacement = path.replacePrefixMatch ?? '';
    const prefix = match.value === '/' ? '/' : match.value.replace(/\/$/, '');
    // EG works around envoyproxy/envoy#26055 with a regex rewrite for `/`.
    next.pathRewrite =
      replacement === '' || replacement === '/'
        ? { type: 'prefixToSlash', prefix }
        : {
            type: 'prefix',
            prefix,
            replacement: replacement.replace(/\/$/, ''),
          };
  } else if (path) {
    return unsupported(`path rewrite type ${path.type}`);
  }
  return next;
}

function directResponse(spec: any): RuleAction {
  const body = spec.body;
  if (body && (body.type ?? 'Inline') !== 'Inline') {
    return unsupported(`directResponse body type ${body.type}`);
  }
  // Default 200 when statusCode is unset: assumed from the CRD, not verified.
  return { type: 'direct', status: spec.statusCode ?? 200, body: body?.inline };
}

function unsupported(what: string): RuleAction {
  return {
    type: 'direct',
    status: 500,
    body: `gateway-sandbox: ${what} is not supported by this test double yet\n`,
  };
}

/** Applies a path rewrite to a path (query string kept by the caller). */
export function rewritePath(
  path: string,
  rewrite: PathRewrite | undefined,
): string {
  if (!rewrite) return path;
  if (rewrite.type === 'full') return rewrite.path;
  if (rewrite.type === 'prefixToSlash') {
    // Regex `^<prefix>\/*` replaced by `/` (route.go `prefix2RegexRewrite`).
    const rest = path.slice(rewrite.prefix.length).replace(/^\/*/, '');
    return `/${rest}`;
  }
  return rewrite.replacement + path.slice(rewrite.prefix.length);
}

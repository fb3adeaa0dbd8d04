import { GatewayObjectCache } from '../objects/objectCache';
import {
  HeaderMutations,
  addHeaderModifier,
  emptyMutations,
} from './headerModifiers';

/**
 * What Envoy does for one backendRef's own `filters` (Gateway API
 * HTTPBackendRef), once Envoy Gateway v1.9.0 has translated them:
 *
 * - internal/gatewayapi/route.go `processDestinationFilters` runs them through
 *   the rule-level filter code (`ProcessHTTPFilters`, filters.go) and
 *   `applyHTTPFiltersContextToDestinationFilters` keeps only request header
 *   additions/removals, response header additions/removals, credential
 *   injection and the URL rewrite (internal/ir/xds.go `DestinationFilters`);
 *   any error makes the backendRef invalid (`InvalidBackendFilters`), its
 *   weight then answering 500;
 * - internal/xds/translator/route.go `applyWeightedClusterFilters` puts on
 *   the backend's weighted cluster the header changes and, of the URL
 *   rewrite, only a literal hostname (`host_rewrite_literal`): a path rewrite,
 *   or an HTTPRouteFilter hostname of type Header, Backend or PathRegex, is
 *   translated and then dropped; RequestRedirect, CORS, an HTTPRouteFilter's
 *   directResponse and matches are processed and not kept. Credential
 *   injection goes on the backend's cluster (cluster.go), not reproduced
 *   here (500 saying so).
 *
 * Envoy applies a weighted cluster's request headers and host before the
 * route's (source/common/router/weighted_cluster_specifier.cc
 * `WeightedClusterEntry::finalizeRequestHeaders`, then config_impl.cc
 * `RouteEntryImplBase::finalizeRequestHeaders`), so a rule-level header
 * `set` or hostname rewrite wins over a backendRef-level one; see
 * pipeline.ts.
 */
export interface BackendRefFilters {
  requestHeaders: HeaderMutations;
  responseHeaders: HeaderMutations;
  /** `host_rewrite_literal` of the weighted cluster (no x-forwarded-host). */
  hostRewrite?: string;
}

export type BackendRefFiltersResult =
  | { type: 'none' }
  | { type: 'filters'; filters: BackendRefFilters }
  /** Envoy Gateway refuses them: the backendRef is invalid. */
  | { type: 'invalid'; reason: string }
  /** Valid upstream, but this double does not reproduce it: 500 saying so. */
  | { type: 'notSupported'; what: string };

export function backendRefFilters(
  ref: any,
  routeNamespace: string,
  cache: GatewayObjectCache,
): BackendRefFiltersResult {
  const list: any[] = Array.isArray(ref?.filters) ? ref.filters : [];
  if (list.length === 0) return { type: 'none' };
  const filters: BackendRefFilters = {
    requestHeaders: emptyMutations(),
    responseHeaders: emptyMutations(),
  };
  // Which rewrites the context already holds (filters.go
  // `hasMultipleCoreRewrites`, `hasMultipleExtensionRewrites`,
  // `hasConflictingCoreAndExtensionRewrites` and its mirror).
  const held = {
    coreHost: false,
    corePath: false,
    extHost: false,
    extPath: false,
  };
  const multiple =
    'cannot configure multiple urlRewrite filters for a single HTTPRouteRule';
  let notSupported: string | undefined;
  const invalid = (reason: string): BackendRefFiltersResult => ({
    type: 'invalid',
    reason,
  });
  for (const filter of list) {
    switch (filter?.type) {
      case 'URLRewrite': {
        const rewrite = filter.urlRewrite ?? {};
        const host = rewrite.hostname !== undefined;
        const path = rewrite.path !== undefined;
        if (
          ((held.coreHost || held.corePath) && (host || path)) ||
          (host && held.extHost) ||
          (path && held.extPath)
        ) {
          return invalid(multiple);
        }
        const pathError = corePathError(rewrite.path);
        if (pathError) return invalid(pathError);
        if (host) {
          filters.hostRewrite = String(rewrite.hostname);
          held.coreHost = true;
        }
        if (path) held.corePath = true;
        break;
      }
      case 'RequestHeaderModifier': {
        const error = addHeaderModifier(
          filters.requestHeaders,
          filter.requestHeaderModifier,
        );
        if (error) return invalid(error);
        break;
      }
      case 'ResponseHeaderModifier': {
        const error = addHeaderModifier(
          filters.responseHeaders,
          filter.responseHeaderModifier,
        );
        if (error) return invalid(error);
        break;
      }
      case 'RequestRedirect':
      case 'CORS':
        // Translated into the context, not kept for the destination.
        break;
      case 'RequestMirror':
        // Dropped too, but its backend checks can fail the backendRef:
        // not reproduced.
        notSupported ??= 'a RequestMirror filter on a backendRef';
        break;
      case 'ExtensionRef': {
        const extRef = filter.extensionRef ?? {};
        if (
          extRef.group !== 'gateway.envoyproxy.io' ||
          extRef.kind !== 'HTTPRouteFilter'
        ) {
          return invalid(`unknown kind ${extRef.group}/${extRef.kind}`);
        }
        const routeFilter = cache.get(
          'HTTPRouteFilter',
          routeNamespace,
          extRef.name,
        );
        if (!routeFilter) {
          return invalid(
            `Unable to translate HTTPRouteFilter: ${routeNamespace}/${extRef.name}`,
          );
        }
        const spec = routeFilter.spec ?? {};
        if (spec.urlRewrite) {
          const host = spec.urlRewrite.hostname !== undefined;
          const path = spec.urlRewrite.path !== undefined;
          if (
            ((held.extHost || held.extPath) && (host || path)) ||
            (host && held.coreHost) ||
            (path && held.corePath)
          ) {
            return invalid(multiple);
          }
          held.extHost ||= host;
          held.extPath ||= spec.urlRewrite.path?.type === 'ReplaceRegexMatch';
        }
        if (spec.credentialInjection) {
          notSupported ??= `credentialInjection (HTTPRouteFilter ${extRef.name}) on a backendRef`;
        }
        if (spec.directResponse) {
          // filters.go adds its content type and headers to the response
          // headers, which the weighted cluster keeps; the direct response
          // itself is dropped, and no later filter is processed.
          const direct = spec.directResponse;
          if (direct.contentType)
            filters.responseHeaders.add.push({
              name: 'content-type',
              value: direct.contentType,
              append: false,
            });
          for (const [entries, append] of [
            [direct.header?.add, true],
            [direct.header?.set, false],
          ] as const) {
            for (const h of Array.isArray(entries) ? entries : []) {
              filters.responseHeaders.add.push({
                name: String(h.name).toLowerCase(),
                value: String(h.value),
                append,
              });
            }
          }
          return result(filters, notSupported);
        }
        break;
      }
      default:
        return invalid(`unsupported filter type ${filter?.type}`);
    }
  }
  return result(filters, notSupported);
}

function result(
  filters: BackendRefFilters,
  notSupported: string | undefined,
): BackendRefFiltersResult {
  if (notSupported) return { type: 'notSupported', what: notSupported };
  return { type: 'filters', filters };
}

/** filters.go `processURLRewriteFilter` checks of a core path rewrite. */
function corePathError(path: any): string | undefined {
  if (path === undefined) return undefined;
  if (path.type === 'ReplaceFullPath') {
    if (path.replacePrefixMatch !== undefined)
      return 'ReplacePrefixMatch cannot be set when rewrite path type is "ReplaceFullPath"';
    if (path.replaceFullPath === undefined)
      return 'ReplaceFullPath must be set when rewrite path type is "ReplaceFullPath"';
    return undefined;
  }
  if (path.type === 'ReplacePrefixMatch') {
    if (path.replaceFullPath !== undefined)
      return 'ReplaceFullPath cannot be set when rewrite path type is "ReplacePrefixMatch"';
    if (path.replacePrefixMatch === undefined)
      return 'ReplacePrefixMatch must be set when rewrite path type is "ReplacePrefixMatch"';
    return undefined;
  }
  return `rewrite path type: ${path.type} is invalid, only "ReplaceFullPath" and "ReplacePrefixMatch" are supported`;
}

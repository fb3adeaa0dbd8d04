import { GatewayObjectCache } from '../objects/objectCache';
import { KubeObject } from '../objects/types';
import { GatewayRequest } from '../request';

/**
 * Envoy's api_key_auth HTTP filter as Envoy Gateway configures it from a
 * SecurityPolicy's `apiKeyAuth`.
 *
 * Configuration (envoyproxy/gateway v1.9.0):
 * - internal/gatewayapi/securitypolicy.go `buildAPIKeyAuth`: for each
 *   credentialRef Secret (same namespace; cross-namespace needs a
 *   ReferenceGrant, which this double does not read and so refuses), each
 *   data entry is a credential, key = client id, value = API key, taken in
 *   sorted client-id order; a client id seen in an earlier Secret is
 *   skipped; the same API key twice is an error. Any error (e.g. a missing
 *   Secret) turns the policy's routes into a 500 direct response.
 * - internal/xds/translator/api_key_auth.go: key sources in the order of
 *   `extractFrom`, each entry's headers, then params, then cookies;
 *   forwarding is set when `forwardClientIDHeader` or `sanitize` is; the
 *   config is set per route (ApiKeyAuthPerRoute), so each route sees only
 *   its own policy's keys.
 *
 * Request handling (envoyproxy/envoy source/extensions/filters/http/
 * api_key_auth/api_key_auth.cc; Envoy v1.39.0 is the image EG v1.9.0
 * defaults to in api/v1alpha1/shared_types.go. The file was read from the
 * GitHub index at a commit whose tag could not be confirmed, so behaviour
 * at exactly v1.39.0 is assumed, not verified):
 * - the first source with a non-empty value wins; a header's first value is
 *   used, with a leading `Bearer ` (exact case, one space) removed;
 * - no key, or an unknown key: 401, body `Client authentication failed.`;
 *   no `www-authenticate` header is sent (the filter passes none);
 * - on success, the client id goes into the forwarding header and, with
 *   `sanitize`, every key source is removed from the request.
 */

export interface ApiKeyAuthConfig {
  /** API key -> client id. */
  credentials: Map<string, string>;
  sources: Array<{ header?: string; query?: string; cookie?: string }>;
  forwardClientIdHeader?: string;
  sanitize: boolean;
}

export type ApiKeyAuthResult =
  | { allowed: true; clientId: string }
  | { allowed: false; status: number; body: string };

export const DENIED_BODY = 'Client authentication failed.';

/** Builds the filter config, or the reason Envoy Gateway would answer 500. */
export function buildApiKeyAuthConfig(
  policy: KubeObject,
  cache: GatewayObjectCache,
): ApiKeyAuthConfig | { error: string } {
  const spec = policy.spec.apiKeyAuth;
  const namespace = policy.metadata.namespace;
  const credentials = new Map<string, string>();
  const seenClients = new Set<string>();
  for (const ref of spec.credentialRefs ?? []) {
    if ((ref.kind ?? 'Secret') !== 'Secret' || (ref.group ?? '') !== '') {
      return { error: `unsupported credentialRef ${ref.group}/${ref.kind}` };
    }
    if (ref.namespace && ref.namespace !== namespace) {
      return {
        error:
          'cross-namespace credentialRefs are not supported by this double',
      };
    }
    const secret = cache.get('Secret', namespace, ref.name);
    if (!secret)
      return { error: `secret ${namespace}/${ref.name} does not exist` };
    for (const clientId of Object.keys(secret.data ?? {}).sort()) {
      if (seenClients.has(clientId)) continue;
      const key = Buffer.from(secret.data![clientId], 'base64').toString(
        'utf8',
      );
      if (credentials.has(key)) return { error: 'duplicated API key' };
      seenClients.add(clientId);
      credentials.set(key, clientId);
    }
  }
  const sources: ApiKeyAuthConfig['sources'] = [];
  for (const from of spec.extractFrom ?? []) {
    for (const header of from.headers ?? [])
      sources.push({ header: header.toLowerCase() });
    for (const query of from.params ?? []) sources.push({ query });
    for (const cookie of from.cookies ?? []) sources.push({ cookie });
  }
  return {
    credentials,
    sources,
    forwardClientIdHeader:
      spec.forwardClientIDHeader?.toLowerCase() || undefined,
    sanitize: spec.sanitize === true,
  };
}

/** Runs the filter on `request`, changing its headers/query on success. */
export function authenticateApiKey(
  config: ApiKeyAuthConfig,
  request: GatewayRequest,
): ApiKeyAuthResult {
  let key = '';
  for (const source of config.sources) {
    key = readKey(source, request);
    if (key) break;
  }
  if (!key || !config.credentials.has(key)) {
    return { allowed: false, status: 401, body: DENIED_BODY };
  }
  const clientId = config.credentials.get(key)!;
  if (config.forwardClientIdHeader)
    request.setHeader(config.forwardClientIdHeader, clientId);
  if (config.sanitize) {
    for (const source of config.sources) removeKey(source, request);
  }
  return { allowed: true, clientId };
}

function readKey(
  source: ApiKeyAuthConfig['sources'][number],
  request: GatewayRequest,
): string {
  if (source.header) {
    const value = request.firstHeader(source.header) ?? '';
    return value.startsWith('Bearer ') ? value.slice(7) : value;
  }
  if (source.query)
    return new URLSearchParams(request.query).get(source.query) ?? '';
  return readCookie(request, source.cookie!) ?? '';
}

/** A cookie's first value, surrounding double quotes removed (Envoy's `parseCookies`). */
export function readCookie(
  request: GatewayRequest,
  name: string,
): string | undefined {
  for (const header of request.allHeaders('cookie')) {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
      const value = part.slice(eq + 1).trim();
      return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
        ? value.slice(1, -1)
        : value;
    }
  }
  return undefined;
}

function removeKey(
  source: ApiKeyAuthConfig['sources'][number],
  request: GatewayRequest,
): void {
  if (source.header) {
    request.removeHeader(source.header);
  } else if (source.query) {
    const params = new URLSearchParams(request.query);
    params.delete(source.query);
    request.query = params.toString();
  } else {
    const kept = request
      .allHeaders('cookie')
      .map(h =>
        h
          .split(';')
          .filter(p => p.split('=')[0].trim() !== source.cookie)
          .join(';')
          .trim(),
      )
      .filter(Boolean);
    request.removeHeader('cookie');
    for (const value of kept) request.headers.push(['cookie', value]);
  }
}

import net from 'node:net';
import { GatewayRequest } from '../request';
import { claimAt, JwtPayloads } from './jwtAuthn';

/**
 * Envoy's RBAC HTTP filter with the per-route matcher Envoy Gateway v1.9.0
 * builds from a SecurityPolicy's `authorization`.
 *
 * Configuration (envoyproxy/gateway v1.9.0):
 * - internal/gatewayapi/securitypolicy.go `buildAuthorization`: default
 *   action Deny unless `defaultAction: Allow`; CIDRs parsed with Go's
 *   `net.ParseCIDR`; `operation.path` regular expressions validated; any
 *   error makes the policy's routes a 500 direct response (the caller's
 *   job).
 * - internal/xds/translator/authorization.go `buildRBACPerRoute`: rules in
 *   order, the first whose predicates all hold decides (action Deny denies,
 *   anything else allows); none = the default action. Predicates: methods
 *   (any of them, `:method` compared ignoring case); path on `:path` (query
 *   included): PathPrefix `/` = any, other prefixes as whole segments,
 *   Exact allowing a `?`, `#` or `;` suffix, RegularExpression matching the
 *   whole value, `invert` negating it; client CIDRs (any) on the downstream
 *   address; JWT scopes (each one in the `scope` or `scp` list of the
 *   provider's jwt_authn metadata) and claims (each: a String claim equal to
 *   one of the values, a StringArray claim containing one); headers (each:
 *   the values of the header joined with `,` equal to one of the values).
 * - Envoy (source/extensions/filters/http/rbac/rbac_filter.cc, tag not
 *   checked): denied = 403 `RBAC: access denied`.
 *
 * Not reproduced (reported by `unsupportedAuthorizationFields`, so the
 * caller refuses the request): `cel` rules and
 * `principal.clientIPGeoLocations`. Client IPs are the socket's: a
 * ClientTrafficPolicy's X-Forwarded-For or proxy protocol settings are not
 * read (Envoy Gateway trusts no X-Forwarded-For hop by default).
 */

export const RBAC_DENIED_BODY = 'RBAC: access denied';

export interface RbacInput {
  request: GatewayRequest;
  jwtPayloads: JwtPayloads;
}

type Predicate = (input: RbacInput) => boolean;

export interface AuthorizationConfig {
  defaultAllow: boolean;
  rules: Array<{ name: string; allow: boolean; predicates: Predicate[] }>;
}

function unknownKeys(value: any, known: string[], path: string): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value)
    .filter(key => !known.includes(key))
    .map(key => `${path}.${key}`);
}

/** Fields of `spec.authorization` this double does not reproduce. */
export function unsupportedAuthorizationFields(authorization: any): string[] {
  const found = unknownKeys(
    authorization,
    ['rules', 'defaultAction'],
    'authorization',
  );
  const rules = Array.isArray(authorization?.rules) ? authorization.rules : [];
  rules.forEach((rule: any, i: number) => {
    const at = `authorization.rules[${i}]`;
    found.push(
      ...unknownKeys(rule, ['name', 'action', 'operation', 'principal'], at),
      ...unknownKeys(rule?.operation, ['methods', 'path'], `${at}.operation`),
      ...unknownKeys(
        rule?.operation?.path,
        ['type', 'value', 'invert'],
        `${at}.operation.path`,
      ),
      ...unknownKeys(
        rule?.principal,
        ['clientCIDRs', 'jwt', 'headers'],
        `${at}.principal`,
      ),
      ...unknownKeys(
        rule?.principal?.jwt,
        ['provider', 'claims', 'scopes'],
        `${at}.principal.jwt`,
      ),
    );
  });
  return found;
}

/** Go `regexp.QuoteMeta`. */
function quoteMeta(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A predicate over `:path` (EG regex/path.go helpers), or an error. */
function pathPredicate(path: any): Predicate | { error: string } {
  const type = path.type ?? 'PathPrefix';
  const value: string = path.value ?? '/';
  let pattern: string;
  if (type === 'PathPrefix') {
    pattern =
      value === '/'
        ? '/.*'
        : `${quoteMeta(value.replace(/\/$/, ''))}(/.*|\\?.*|#.*|;.*|$)`;
  } else if (type === 'Exact') {
    pattern = `${quoteMeta(value)}(\\?.*|#.*|;.*|$)`;
  } else if (type === 'RegularExpression') {
    pattern = value;
  } else {
    return { error: 'invalid path type' };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    return { error: `invalid path regex: ${String(error)}` };
  }
  const invert = path.invert === true;
  return ({ request }) => regex.test(request.pathAndQuery) !== invert;
}

/** Go `net.ParseCIDR`, then a matcher of the client address. */
function cidrPredicate(cidrs: string[]): Predicate | { error: string } {
  const v4 = new net.BlockList();
  const v6 = new net.BlockList();
  for (const cidr of cidrs) {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(String(cidr));
    const family = match ? net.isIP(match[1]) : 0;
    const prefix = match ? Number(match[2]) : NaN;
    if (!match || family === 0 || prefix > (family === 4 ? 32 : 128))
      return { error: `invalid CIDR address: ${cidr}` };
    (family === 4 ? v4 : v6).addSubnet(
      match[1],
      prefix,
      family === 4 ? 'ipv4' : 'ipv6',
    );
  }
  return ({ request }) => {
    const family = net.isIP(request.clientAddress);
    if (family === 4) return v4.check(request.clientAddress, 'ipv4');
    if (family === 6) return v6.check(request.clientAddress, 'ipv6');
    return false;
  };
}

function jwtPredicates(principal: any): Predicate[] {
  const provider = String(principal.provider);
  const payloadOf = (input: RbacInput) => input.jwtPayloads[provider];
  const predicates: Predicate[] = [];
  for (const scope of principal.scopes ?? []) {
    predicates.push(input => {
      const payload = payloadOf(input);
      return ['scope', 'scp'].some(key => {
        const list = payload?.[key];
        return Array.isArray(list) && list.includes(scope);
      });
    });
  }
  for (const claim of principal.claims ?? []) {
    const values: string[] = claim.values ?? [];
    const asArray = claim.valueType === 'StringArray';
    predicates.push(input => {
      const payload = payloadOf(input);
      if (!payload) return false;
      const value = claimAt(payload, String(claim.name));
      if (asArray)
        return (
          Array.isArray(value) &&
          value.some(v => typeof v === 'string' && values.includes(v))
        );
      return typeof value === 'string' && values.includes(value);
    });
  }
  return predicates;
}

function headerPredicates(headers: any[]): Predicate[] {
  return headers.map(header => {
    const name = String(header.name).toLowerCase();
    const values: string[] = header.values ?? [];
    return ({ request }) => {
      const value = request.view().header(name);
      return value !== undefined && values.includes(value);
    };
  });
}

/** The RBAC config, or the reason Envoy Gateway would answer 500. */
export function buildAuthorizationConfig(
  authorization: any,
): AuthorizationConfig | { error: string } {
  const rules: AuthorizationConfig['rules'] = [];
  const specRules: any[] = authorization?.rules ?? [];
  for (const [i, rule] of specRules.entries()) {
    const predicates: Predicate[] = [];
    const methods: string[] = rule.operation?.methods ?? [];
    if (methods.length > 0) {
      const upper = methods.map(m => String(m).toUpperCase());
      predicates.push(({ request }) =>
        upper.includes(request.method.toUpperCase()),
      );
    }
    if (rule.operation?.path) {
      const path = pathPredicate(rule.operation.path);
      if ('error' in path) return path;
      predicates.push(path);
    }
    const principal = rule.principal ?? {};
    if ((principal.clientCIDRs ?? []).length > 0) {
      const cidrs = cidrPredicate(principal.clientCIDRs);
      if ('error' in cidrs) return cidrs;
      predicates.push(cidrs);
    }
    if (principal.jwt) predicates.push(...jwtPredicates(principal.jwt));
    predicates.push(...headerPredicates(principal.headers ?? []));
    if (predicates.length === 0) {
      // The CRD requires a principal (or CEL) with at least one field.
      return { error: `authorization rule ${i} has nothing to match` };
    }
    rules.push({
      name: rule.name || `authorization/rule/${i}`,
      allow: rule.action !== 'Deny',
      predicates,
    });
  }
  return { defaultAllow: authorization?.defaultAction === 'Allow', rules };
}

export type AuthorizationResult =
  | { allowed: true; rule?: string }
  | { allowed: false; status: 403; body: string; rule?: string };

/** Runs the RBAC matcher on the request. */
export function authorizeRequest(
  config: AuthorizationConfig,
  input: RbacInput,
): AuthorizationResult {
  const rule = config.rules.find(r => r.predicates.every(p => p(input)));
  const allowed = rule ? rule.allow : config.defaultAllow;
  return allowed
    ? { allowed: true, rule: rule?.name }
    : { allowed: false, status: 403, body: RBAC_DENIED_BODY, rule: rule?.name };
}

import { KINDS } from '@inference-in-a-box/backstage-plugin-inference-node';
import { PublishLimits } from '@inference-in-a-box/backstage-plugin-inference-common';
import { KubeObject, KubeObjectMeta } from '../../models/types';
import { PublicationObjectNames } from './objectNames';
import {
  ANNOTATION_API_KEYS,
  CLIENT_ID_HEADER,
  PlatformJwtIssuer,
  PublicationApiKey,
} from './types';

/**
 * The objects that guard a published route: API keys, authentication, rate limits, and the mesh
 * policy in front of the predictor. They target the route by name, so they can be applied before
 * the route exists and the route never serves a request unguarded.
 */

export interface AccessObjectsInput {
  names: PublicationObjectNames;
  meta: (name: string, annotations?: Record<string, string>) => KubeObjectMeta;
  /** The tenant (catalog group) name: a JWT must carry it in its `tenant` claim. */
  tenant: string;
  isvcName: string;
  /** Validated for the model type already: token limits only come with OpenAI models. */
  limits: PublishLimits;
  apiKeys: PublicationApiKey[];
  jwt?: PlatformJwtIssuer;
  gatewayPrincipals: string[];
  /** The InferenceService and policy name of a blue-green candidate, guarded alike. */
  candidate?: { isvcName: string; authorizationPolicy: string };
}

const ROUTE_GROUP = 'gateway.networking.k8s.io';
/** Secret keys must match this; it is also a safe header value for the forwarded client id. */
const CLIENT_ID = /^[A-Za-z0-9]([-._A-Za-z0-9]{0,251}[A-Za-z0-9])?$/;
/** Visible ASCII only: no spaces (so no `Bearer ` confusion) and nothing that can break a header. */
const KEY_VALUE = /^[\x21-\x7e]{32,512}$/;

function checkApiKeys(keys: PublicationApiKey[]): void {
  const ids = new Set<string>();
  const values = new Set<string>();
  for (const key of keys) {
    if (!CLIENT_ID.test(key.id)) {
      throw new Error(`API key id "${key.id}" is not a valid Secret key`);
    }
    // Never echo the value: this message may reach a log.
    if (!KEY_VALUE.test(key.value)) {
      throw new Error(
        `API key "${key.id}" must be 32-512 visible ASCII characters`,
      );
    }
    if (ids.has(key.id) || values.has(key.value)) {
      throw new Error(`API key "${key.id}" is not unique`);
    }
    ids.add(key.id);
    values.add(key.value);
  }
}

function apiKeysSecret(input: AccessObjectsInput): KubeObject {
  checkApiKeys(input.apiKeys);
  const keys = [...input.apiKeys].sort(
    (a, b) =>
      a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
  );
  // Metadata (no values) beside the keys, so listing keys needs no other store.
  const metadata = keys.map(({ id, name, createdAt, expiresAt }) => ({
    id,
    name,
    createdAt,
    ...(expiresAt ? { expiresAt } : {}),
  }));
  return {
    ...KINDS.secret,
    metadata: input.meta(input.names.apiKeysSecret, {
      [ANNOTATION_API_KEYS]: JSON.stringify(metadata),
    }),
    type: 'Opaque',
    // `data`, not `stringData`: the server stores only `data`, and the plan compares with it.
    data: Object.fromEntries(
      keys.map(key => [
        key.id,
        Buffer.from(key.value, 'utf8').toString('base64'),
      ]),
    ),
  };
}

function routeTarget(names: PublicationObjectNames) {
  return [{ group: ROUTE_GROUP, kind: 'HTTPRoute', name: names.route }];
}

/** The JWT claim that names the tenant a token was issued for (configs/auth/jwt-issuer.yaml sets it). */
export const JWT_TENANT_CLAIM = 'tenant';
/** Name of the authorization rule that lets only the publication's tenant's tokens through. */
export const JWT_TENANT_RULE = 'allow-publication-tenant';

/**
 * The JWT part of the SecurityPolicy, in the shape of Envoy Gateway v1.9.0's API (vendored CRD:
 * packages/kube-sandbox/crds/envoy-gateway/gateway.envoyproxy.io_securitypolicies.yaml.gz):
 *
 * - `jwt.providers[]` is `JWTProvider` of api/v1alpha1/jwt_types.go: `audiences` is "a list of JWT
 *   audiences allowed access ... If not provided, JWT audiences are not checked", so the platform's
 *   audiences are always written (the config requires at least one).
 * - `authorization` is `Authorization` of api/v1alpha1/authorization_types.go: rules are evaluated
 *   in order, the first match applies, `defaultAction` when none matches. The one rule allows a
 *   request whose token, verified by our provider (`JWTPrincipal.provider`), has a `tenant` claim
 *   (`JWTClaim`, `valueType: String`: the value must match exactly) equal to the publication's
 *   tenant; everything else (another tenant's token, a token without the claim) is denied. The
 *   API key is still checked first by the apiKeyAuth filter.
 */
function jwtSpec(
  jwt: PlatformJwtIssuer,
  tenant: string,
): Record<string, unknown> {
  const provider = jwt.providerName ?? 'platform-jwt';
  return {
    jwt: {
      providers: [
        {
          name: provider,
          issuer: jwt.issuer,
          audiences: jwt.audiences,
          remoteJWKS: { uri: jwt.jwksUri },
        },
      ],
    },
    authorization: {
      defaultAction: 'Deny',
      rules: [
        {
          name: JWT_TENANT_RULE,
          action: 'Allow',
          principal: {
            jwt: {
              provider,
              claims: [
                {
                  name: JWT_TENANT_CLAIM,
                  valueType: 'String',
                  values: [tenant],
                },
              ],
            },
          },
        },
      ],
    },
  };
}

/**
 * API keys are read from `x-api-key`, and also from `Authorization` so the OpenAI SDKs work
 * unchanged (`api_key=<key>` sends `Authorization: Bearer <key>`; Envoy's api_key_auth filter
 * strips the `Bearer ` prefix). With JWT on, `Authorization` carries the token: Envoy Gateway
 * runs api_key_auth before jwt_authn and `sanitize` removes every header the key may come from,
 * so `Authorization` must not be a key source, and the key goes in `x-api-key`.
 */
function securityPolicy(input: AccessObjectsInput): KubeObject {
  const keyHeaders = input.jwt ? ['x-api-key'] : ['x-api-key', 'authorization'];
  const spec: Record<string, unknown> = {
    targetRefs: routeTarget(input.names),
    apiKeyAuth: {
      credentialRefs: [
        { group: '', kind: 'Secret', name: input.names.apiKeysSecret },
      ],
      extractFrom: [{ headers: keyHeaders }],
      forwardClientIDHeader: CLIENT_ID_HEADER,
      sanitize: true,
    },
    ...(input.jwt ? jwtSpec(input.jwt, input.tenant) : {}),
  };
  return {
    ...KINDS.securityPolicy,
    metadata: input.meta(input.names.securityPolicy),
    spec,
  };
}

/** One bucket per API key: the client id the SecurityPolicy forwards. A fresh copy per rule. */
function perApiKey() {
  return [{ headers: [{ name: CLIENT_ID_HEADER, type: 'Distinct' }] }];
}

/**
 * Global (Redis-backed, shared by all gateway replicas) rate limits, one rule per configured
 * limit. The token rule costs nothing on the way in and charges the total tokens the AI Gateway
 * recorded once the response is complete, so a request is refused when the budget is spent.
 */
function rateLimitRules(input: AccessObjectsInput): Record<string, unknown>[] {
  const { requestsPerMinute, requestsPerHour, tokensPerHour } = input.limits;
  const rules: Record<string, unknown>[] = [];
  if (requestsPerMinute !== undefined) {
    rules.push({
      clientSelectors: perApiKey(),
      limit: { requests: requestsPerMinute, unit: 'Minute' },
    });
  }
  if (requestsPerHour !== undefined) {
    rules.push({
      clientSelectors: perApiKey(),
      limit: { requests: requestsPerHour, unit: 'Hour' },
    });
  }
  if (tokensPerHour !== undefined) {
    rules.push({
      clientSelectors: perApiKey(),
      limit: { requests: tokensPerHour, unit: 'Hour' },
      cost: {
        request: { from: 'Number', number: 0 },
        response: {
          from: 'Metadata',
          metadata: {
            namespace: 'io.envoy.ai_gateway',
            key: 'llm_total_token',
          },
        },
      },
    });
  }
  return rules;
}

function trafficPolicy(input: AccessObjectsInput): KubeObject | undefined {
  const rules = rateLimitRules(input);
  if (rules.length === 0) {
    return undefined;
  }
  return {
    ...KINDS.backendTrafficPolicy,
    metadata: input.meta(input.names.trafficPolicy),
    spec: {
      targetRefs: routeTarget(input.names),
      rateLimit: { type: 'Global', global: { rules } },
    },
  };
}

/** Only the gateway's mesh identity may call the predictor pods: no way around the gateway's checks. */
function authorizationPolicy(
  input: AccessObjectsInput,
  target: { isvcName: string; authorizationPolicy: string },
): KubeObject {
  if (input.gatewayPrincipals.length === 0) {
    // An ALLOW policy with no principal would let nothing in: a configuration bug, not input.
    throw new Error(
      'No gateway principal configured for the AuthorizationPolicy',
    );
  }
  const principals = input.gatewayPrincipals;
  return {
    ...KINDS.authorizationPolicy,
    metadata: input.meta(target.authorizationPolicy),
    spec: {
      selector: {
        matchLabels: { 'serving.kserve.io/inferenceservice': target.isvcName },
      },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals } }] }],
    },
  };
}

/**
 * Secret, SecurityPolicy, BackendTrafficPolicy (when any limit is set), AuthorizationPolicy (and
 * one for a blue-green candidate's pods).
 */
export function buildAccessObjects(input: AccessObjectsInput): KubeObject[] {
  const traffic = trafficPolicy(input);
  return [
    apiKeysSecret(input),
    securityPolicy(input),
    ...(traffic ? [traffic] : []),
    authorizationPolicy(input, {
      isvcName: input.isvcName,
      authorizationPolicy: input.names.authorizationPolicy,
    }),
    ...(input.candidate ? [authorizationPolicy(input, input.candidate)] : []),
  ];
}

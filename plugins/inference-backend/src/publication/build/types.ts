import type {
  ModelType,
  PublishRequest,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { InferenceServiceObject } from '../../models/types';

export type { KubeObject } from '../../models/types';

/** The platform's JWT issuer, from configuration; used when a publication asks for JWT. */
export interface PlatformJwtIssuer {
  issuer: string;
  jwksUri: string;
  audiences: string[];
  /** Provider name in the SecurityPolicy; defaults to `platform-jwt`. */
  providerName?: string;
}

/** Platform configuration the builders need (section 10 of the design: `inference.gateway`/`publishing`). */
export interface PublicationPlatform {
  gatewayName: string;
  gatewayNamespace: string;
  /** Listener of the Gateway to attach to; all listeners that allow the route when omitted. */
  gatewaySectionName?: string;
  /** Hostname of predictive publications that name none. */
  defaultHostname: string;
  /**
   * Domain of the hostname an OpenAI-compatible publication gets when it names none:
   * `<model>-<tenant>.<openAiDomain>` (see `defaultPublicationHostname`).
   */
  openAiDomain: string;
  /** Hostnames a publication may ask for besides the default; `*.domain` matches one label. */
  allowedHostnames?: string[];
  /**
   * Mesh identities allowed to reach a published predictor: the gateway's proxies (see
   * `envoyProxyPrincipal`). Add the portal's own identity for in-cluster test calls. In Knative mode
   * Knative's activator, when it is in the request path, calls the pods with its own identity
   * (knative-serving/sa/activator); the tenant's own AuthorizationPolicy admits it
   * (configs/tenants), and no Knative or Istio gateway sits in front of the models (net-istio
   * mesh-only mode, configs/kserve/knative-config.yaml).
   */
  gatewayPrincipals: string[];
  jwt?: PlatformJwtIssuer;
}

/** An API key of a publication. The value only ever goes into the Secret. */
export interface PublicationApiKey {
  /** Client id: the key's entry in the Secret and what the gateway forwards for rate limiting. */
  id: string;
  name: string;
  value: string;
  createdAt: string;
  /** End of a rotated key's grace period; the backend revokes it then. */
  expiresAt?: string;
}

export interface PublicationInput {
  /** Tenant (catalog group) name. */
  tenant: string;
  /** The tenant's namespace; every object is created here. */
  namespace: string;
  model: { name: string; isvc: InferenceServiceObject };
  /** Already validated with `publishRequestSchema`. */
  request: PublishRequest;
  modelType: ModelType;
  platform: PublicationPlatform;
  apiKeys: PublicationApiKey[];
  /**
   * A new version of a Standard-mode model, blue-green: its own InferenceService, given `percent`
   * of the route's traffic by weight (docs/architecture.md, "Rollouts"). Absent: one backend.
   */
  candidate?: { isvc: InferenceServiceObject; percent: number };
}

/** Header the gateway sets to the authenticated key's client id; rate limits bucket by it. */
export const CLIENT_ID_HEADER = 'x-inference-client-id';
/** Secret annotation listing the keys' metadata (never their values). */
export const ANNOTATION_API_KEYS = 'inference.platform.io/api-keys';

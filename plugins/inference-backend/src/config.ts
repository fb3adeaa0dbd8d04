import type { Config } from '@backstage/config';
import { DEFAULT_RATE_CAPS, RateCap, RateCapsConfig } from './http/rateCaps';
import { envoyProxyPrincipal } from './publication/build/envoyProxyPrincipal';

/**
 * The plugin's gateway and publishing configuration, read once at start-up (schema:
 * ../config.d.ts). Clusters are read by the node library (clusterRegistryServiceRef).
 */
export interface InferenceConfig {
  gateway: {
    name: string;
    namespace: string;
    publicBaseUrl: string;
    invokeBaseUrl?: string;
    principal: string;
  };
  publishing: {
    defaultHostname: string;
    openAiDomain: string;
    allowedHostnames: string[];
    maxLimits: {
      requestsPerMinute?: number;
      requestsPerHour?: number;
      tokensPerHour?: number;
    };
    jwt?: { issuer: string; jwksUri: string; audiences: string[] };
    /** Most API keys one publication may hold (rotated keys in their grace period count). */
    maxKeysPerPublication: number;
  };
  /** Per-user request caps of the REST API (`inference.rateCaps`). */
  rateCaps: RateCapsConfig;
  /** Where usage figures are read (`inference.usage`); undefined when not configured. */
  usage?: { prometheusUrl: string; timeoutMs: number };
  /** The drift check (`inference.drift`): how often, and whether weakened guards come back by themselves. */
  drift: {
    enabled: boolean;
    frequencySeconds: number;
    restoreGuards: boolean;
    concurrency: number;
  };
  /** The expiry of rotated keys (`inference.keyExpiry`): one run per interval across replicas. */
  keyExpiry: { frequencySeconds: number };
  /** The publication locks (`inference.publicationLock`): how long a stopped replica's lease lives. */
  publicationLock: { leaseMs: number };
  /** Completing changes a stopped replica left half applied (`inference.recovery`). */
  recovery: { frequencySeconds: number };
  /** Moving blue-green rollouts on (`inference.rollouts`): one run per interval across replicas. */
  rollouts: { frequencySeconds: number };
  /** Whether changes plan from a watch of the publication objects (`inference.publicationCache`). */
  publicationCache: { enabled: boolean };
}

// --- Per-user rate caps (inference.rateCaps) ---

function readRateCap(config: Config, key: keyof RateCapsConfig): RateCap {
  const path = `inference.rateCaps.${key}`;
  const fallback = DEFAULT_RATE_CAPS[key];
  const cap = {
    requests: config.getOptionalNumber(`${path}.requests`) ?? fallback.requests,
    windowSeconds:
      config.getOptionalNumber(`${path}.windowSeconds`) ??
      fallback.windowSeconds,
  };
  for (const [field, value] of Object.entries(cap)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `Invalid configuration: '${path}.${field}' must be a positive integer, got ${value}`,
      );
    }
  }
  return cap;
}

function readRateCaps(config: Config): RateCapsConfig {
  return {
    testInvocations: readRateCap(config, 'testInvocations'),
    mutations: readRateCap(config, 'mutations'),
  };
}

// --- end of rate caps ---

// --- API key cap (inference.publishing.maxKeysPerPublication) ---

/** Default of `inference.publishing.maxKeysPerPublication`. */
export const DEFAULT_MAX_KEYS_PER_PUBLICATION = 20;

function readMaxKeysPerPublication(config: Config): number {
  const value =
    config.getOptionalNumber('inference.publishing.maxKeysPerPublication') ??
    DEFAULT_MAX_KEYS_PER_PUBLICATION;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `inference.publishing.maxKeysPerPublication must be a positive integer, got ${value}`,
    );
  }
  return value;
}

// --- end of API key cap ---

// --- JWT settings (inference.publishing.jwt) ---

/** The only keys `inference.publishing.jwt` may have (see ../config.d.ts). */
const JWT_KEYS = ['issuer', 'jwksUri', 'audiences'] as const;

/**
 * The platform JWT issuer, or undefined when none is configured. A misspelt key (e.g. `audience`
 * for `audiences`) used to be ignored, so tokens for any audience were accepted: unknown keys and
 * an empty audience list now stop the plugin at start, with the key named.
 */
function readJwtConfig(config: Config): InferenceConfig['publishing']['jwt'] {
  const path = 'inference.publishing.jwt';
  const jwt = config.getOptionalConfig(path);
  if (!jwt) return undefined;
  const unknown = jwt
    .keys()
    .filter(key => !(JWT_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    const hint = unknown.includes('audience')
      ? ' (did you mean "audiences", a list?)'
      : '';
    throw new Error(
      `Invalid configuration: unknown key(s) ${unknown
        .map(k => `'${path}.${k}'`)
        .join(', ')}${hint}; the allowed keys are ${JWT_KEYS.join(', ')}`,
    );
  }
  const audiences = jwt.getOptionalStringArray('audiences') ?? [];
  // 1 to 8: Envoy Gateway's JWTProvider.audiences has MaxItems=8 (api/v1alpha1/jwt_types.go, v1.9.0).
  if (
    audiences.length === 0 ||
    audiences.length > 8 ||
    audiences.some(a => a.trim() === '')
  ) {
    throw new Error(
      `Invalid configuration: '${path}.audiences' must list 1 to 8 non-empty audiences; without one the gateway would accept tokens issued for any audience`,
    );
  }
  return {
    issuer: jwt.getString('issuer'),
    jwksUri: jwt.getString('jwksUri'),
    audiences,
  };
}

// --- end of JWT settings ---

// --- Usage (inference.usage) ---

function readUsageConfig(config: Config): InferenceConfig['usage'] {
  const prometheusUrl = config.getOptionalString(
    'inference.usage.prometheusUrl',
  );
  const timeoutSeconds =
    config.getOptionalNumber('inference.usage.timeoutSeconds') ?? 10;
  if (!(timeoutSeconds > 0 && timeoutSeconds <= 300)) {
    throw new Error(
      `Invalid configuration: 'inference.usage.timeoutSeconds' must be between 0 and 300, got ${timeoutSeconds}`,
    );
  }
  if (!prometheusUrl) return undefined;
  let url: URL;
  try {
    url = new URL(prometheusUrl);
  } catch {
    throw new Error(
      "Invalid configuration: 'inference.usage.prometheusUrl' is not a URL",
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      "Invalid configuration: 'inference.usage.prometheusUrl' must be an http or https URL",
    );
  }
  return { prometheusUrl, timeoutMs: timeoutSeconds * 1000 };
}

// --- end of usage ---

function readDriftConfig(config: Config): InferenceConfig['drift'] {
  const frequencySeconds =
    config.getOptionalNumber('inference.drift.frequencySeconds') ?? 60;
  if (!(frequencySeconds >= 10 && frequencySeconds <= 86_400)) {
    throw new Error(
      `Invalid configuration: 'inference.drift.frequencySeconds' must be between 10 and 86400, got ${frequencySeconds}`,
    );
  }
  const concurrency =
    config.getOptionalNumber('inference.drift.concurrency') ?? 16;
  if (
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256)
  ) {
    throw new Error(
      `Invalid configuration: 'inference.drift.concurrency' must be an integer between 1 and 256, got ${concurrency}`,
    );
  }
  return {
    enabled: config.getOptionalBoolean('inference.drift.enabled') ?? true,
    frequencySeconds,
    restoreGuards:
      config.getOptionalBoolean('inference.drift.restoreGuards') ?? true,
    concurrency,
  };
}

// --- Several replicas: key expiry, publication lock lease, recovery (docs/architecture.md) ---

/** A whole number of seconds within bounds, or the default; anything else stops the plugin. */
function readSeconds(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new Error(
      `Invalid configuration: '${key}' must be a whole number of seconds between ${min} and ${max}, got ${value}`,
    );
  }
  return value;
}

/** Default of `inference.keyExpiry.frequencySeconds`: every minute. */
export const DEFAULT_KEY_EXPIRY_SECONDS = 60;

// --- end of several replicas ---

export function readInferenceConfig(config: Config): InferenceConfig {
  const gatewayNamespace =
    config.getOptionalString('inference.gateway.namespace') ??
    'envoy-gateway-system';
  const gatewayName =
    config.getOptionalString('inference.gateway.name') ??
    'ai-inference-gateway';
  const defaultHostname =
    config.getOptionalString('inference.publishing.defaultHostname') ??
    'api.router.inference-in-a-box';
  return {
    gateway: {
      name: gatewayName,
      namespace: gatewayNamespace,
      publicBaseUrl:
        config.getOptionalString('inference.gateway.publicBaseUrl') ??
        `https://${defaultHostname}`,
      invokeBaseUrl: config.getOptionalString(
        'inference.gateway.invokeBaseUrl',
      ),
      principal:
        config.getOptionalString('inference.gateway.principal') ??
        envoyProxyPrincipal({ name: gatewayName, namespace: gatewayNamespace }),
    },
    publishing: {
      defaultHostname,
      openAiDomain:
        config.getOptionalString('inference.publishing.openAiDomain') ??
        'inference-in-a-box',
      allowedHostnames: config.getOptionalStringArray(
        'inference.publishing.allowedHostnames',
      ) ?? [defaultHostname],
      maxLimits: {
        requestsPerMinute: config.getOptionalNumber(
          'inference.publishing.maxLimits.requestsPerMinute',
        ),
        requestsPerHour: config.getOptionalNumber(
          'inference.publishing.maxLimits.requestsPerHour',
        ),
        tokensPerHour: config.getOptionalNumber(
          'inference.publishing.maxLimits.tokensPerHour',
        ),
      },
      jwt: readJwtConfig(config),
      maxKeysPerPublication: readMaxKeysPerPublication(config),
    },
    rateCaps: readRateCaps(config),
    usage: readUsageConfig(config),
    drift: readDriftConfig(config),
    keyExpiry: {
      frequencySeconds: readSeconds(
        config,
        'inference.keyExpiry.frequencySeconds',
        DEFAULT_KEY_EXPIRY_SECONDS,
        1,
        86_400,
      ),
    },
    publicationLock: {
      leaseMs:
        readSeconds(
          config,
          'inference.publicationLock.leaseSeconds',
          30,
          2,
          600,
        ) * 1000,
    },
    recovery: {
      frequencySeconds: readSeconds(
        config,
        'inference.recovery.frequencySeconds',
        30,
        1,
        3600,
      ),
    },
    rollouts: {
      frequencySeconds: readSeconds(
        config,
        'inference.rollouts.frequencySeconds',
        5,
        1,
        600,
      ),
    },
    publicationCache: {
      enabled:
        config.getOptionalBoolean('inference.publicationCache.enabled') ?? true,
    },
  };
}

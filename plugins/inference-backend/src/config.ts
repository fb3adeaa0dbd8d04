import type { Config } from '@backstage/config';

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
    allowedHostnames: string[];
    maxLimits: {
      requestsPerMinute?: number;
      requestsPerHour?: number;
      tokensPerHour?: number;
    };
    jwt?: { issuer: string; jwksUri: string; audiences: string[] };
  };
}

export function readInferenceConfig(config: Config): InferenceConfig {
  const jwt = config.getOptionalConfig('inference.publishing.jwt');
  const gatewayNamespace =
    config.getOptionalString('inference.gateway.namespace') ??
    'envoy-gateway-system';
  const defaultHostname =
    config.getOptionalString('inference.publishing.defaultHostname') ??
    'api.router.inference-in-a-box';
  return {
    gateway: {
      name:
        config.getOptionalString('inference.gateway.name') ??
        'ai-inference-gateway',
      namespace: gatewayNamespace,
      publicBaseUrl:
        config.getOptionalString('inference.gateway.publicBaseUrl') ??
        `https://${defaultHostname}`,
      invokeBaseUrl: config.getOptionalString(
        'inference.gateway.invokeBaseUrl',
      ),
      principal:
        config.getOptionalString('inference.gateway.principal') ??
        `cluster.local/ns/${gatewayNamespace}/sa/envoy-ai-inference-gateway`,
    },
    publishing: {
      defaultHostname,
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
      jwt: jwt && {
        issuer: jwt.getString('issuer'),
        jwksUri: jwt.getString('jwksUri'),
        audiences: jwt.getOptionalStringArray('audiences') ?? [],
      },
    },
  };
}

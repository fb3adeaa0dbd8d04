import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ClusterConfig } from './cluster/createClusterClient';

/** The plugin's configuration, read once at start-up (schema: ../config.d.ts). */
export interface InferenceConfig {
  clusters: ClusterConfig[];
  kubernetes: {
    requestTimeoutMs: number;
    maxAttempts: number;
    fieldManager: string;
  };
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

function readClusters(config: Config): ClusterConfig[] {
  const own = config.getOptionalConfigArray('inference.clusters');
  const entries =
    own ??
    (config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [])
      .filter(method => method.getString('type') === 'config')
      .flatMap(method => method.getOptionalConfigArray('clusters') ?? []);
  return entries.map(entry => {
    const name = entry.getString('name');
    const authProvider =
      entry.getOptionalString('authProvider') ?? 'serviceAccount';
    if (authProvider !== 'serviceAccount') {
      throw new InputError(
        `Cluster '${name}': authProvider '${authProvider}' is not supported by the inference plugin; use serviceAccount`,
      );
    }
    return {
      name,
      url: entry.getString('url'),
      serviceAccountToken: entry.getOptionalString('serviceAccountToken'),
      caData: entry.getOptionalString('caData'),
      caFile: entry.getOptionalString('caFile'),
      skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify') ?? false,
    };
  });
}

export function readInferenceConfig(config: Config): InferenceConfig {
  const clusters = readClusters(config);
  const names = new Set<string>();
  for (const cluster of clusters) {
    if (names.has(cluster.name)) {
      throw new InputError(
        `Cluster name '${cluster.name}' is configured twice`,
      );
    }
    names.add(cluster.name);
  }
  const jwt = config.getOptionalConfig('inference.publishing.jwt');
  const gatewayNamespace =
    config.getOptionalString('inference.gateway.namespace') ??
    'envoy-gateway-system';
  const defaultHostname =
    config.getOptionalString('inference.publishing.defaultHostname') ??
    'api.router.inference-in-a-box';
  return {
    clusters,
    kubernetes: {
      requestTimeoutMs:
        config.getOptionalNumber('inference.kubernetes.requestTimeoutMs') ??
        10_000,
      maxAttempts:
        config.getOptionalNumber('inference.kubernetes.maxAttempts') ?? 3,
      fieldManager:
        config.getOptionalString('inference.kubernetes.fieldManager') ??
        'inference-portal',
    },
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

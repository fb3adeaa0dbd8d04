import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ClusterConfig } from './createClusterClient';

/**
 * Which clusters the portal manages and how it talks to them (schema: ../../config.d.ts).
 * @public
 */
export interface ClusterSettings {
  clusters: ClusterConfig[];
  kubernetes: {
    requestTimeoutMs: number;
    maxAttempts: number;
    fieldManager: string;
  };
}

/**
 * `inference.clusters`, or else every `type: config` cluster of the Kubernetes plugin's
 * `kubernetes.clusterLocatorMethods`, so that the portal and its Kubernetes tab see the same
 * clusters without configuring them twice.
 */
function readClusters(config: Config): ClusterConfig[] {
  const own = config.getOptionalConfigArray('inference.clusters');
  const entries =
    own ??
    (config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [])
      .filter(method => method.getString('type') === 'config')
      .flatMap(method => method.getOptionalConfigArray('clusters') ?? []);
  const clusters = entries.map(entry => {
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
  const names = new Set<string>();
  for (const cluster of clusters) {
    if (names.has(cluster.name)) {
      throw new InputError(
        `Cluster name '${cluster.name}' is configured twice`,
      );
    }
    names.add(cluster.name);
  }
  return clusters;
}

/**
 * Reads the cluster settings once at start-up.
 * @public
 */
export function readClusterConfig(config: Config): ClusterSettings {
  return {
    clusters: readClusters(config),
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
  };
}

import { NotFoundError } from '@backstage/errors';
import type { ClusterSettings } from './readClusterConfig';
import { createClusterClient } from './createClusterClient';
import type { ClusterClient } from './types';

/**
 * The configured clusters by name: the one place that creates cluster clients.
 * @public
 */
export interface ClusterRegistry {
  names(): string[];
  /** The default cluster for tenants and models that name none: the first configured. */
  defaultName(): string;
  /** @throws NotFoundError for a cluster that is not configured */
  get(name: string): ClusterClient;
}

/** @public */
export function createClusterRegistry(
  config: ClusterSettings,
): ClusterRegistry {
  const clients = new Map(
    config.clusters.map(cluster => [
      cluster.name,
      createClusterClient(cluster, {
        fieldManager: config.kubernetes.fieldManager,
        requestTimeoutMs: config.kubernetes.requestTimeoutMs,
        retry: { maxAttempts: config.kubernetes.maxAttempts, baseDelayMs: 200 },
      }),
    ]),
  );
  return {
    names: () => [...clients.keys()],
    defaultName: () => config.clusters[0]?.name ?? 'local',
    get(name) {
      const client = clients.get(name);
      if (!client) {
        throw new NotFoundError(`No cluster named '${name}' is configured`);
      }
      return client;
    },
  };
}

import { createServiceFactory } from '@backstage/backend-plugin-api';
import { createClusterRegistry } from '../cluster/ClusterRegistry';
// Types from the package's main entry point, so that this entry point's API refers to them there.
import type {
  ClusterClient,
  ClusterConfig,
  ClusterRegistry,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { clusterRegistryServiceRef } from '../clusterRegistryServiceRef';

/**
 * Clusters for a test: usually one entry pointing at a Kubernetes sandbox.
 * @public
 */
export interface ClusterRegistryMockOptions {
  clusters: Array<Pick<ClusterConfig, 'name' | 'url'> & Partial<ClusterConfig>>;
  /** Per-request deadline; short by default so a test against a dead server fails fast. */
  requestTimeoutMs?: number;
  maxAttempts?: number;
}

/**
 * A real cluster registry on the given clusters (plain HTTP allowed, any token), with test-sized
 * timeouts. `.factory()` puts it in place of the backend's; `.mock()` gives one whose methods are
 * jest mocks, for unit tests that should not reach any server.
 * @public
 */
export function clusterRegistryServiceMock(
  options: ClusterRegistryMockOptions,
): ClusterRegistry {
  return createClusterRegistry({
    clusters: options.clusters.map(cluster => ({
      serviceAccountToken: 'test',
      skipTLSVerify: true,
      ...cluster,
    })),
    kubernetes: {
      requestTimeoutMs: options.requestTimeoutMs ?? 2000,
      maxAttempts: options.maxAttempts ?? 3,
      fieldManager: 'inference-portal',
    },
  });
}

/**
 * The service factory and the jest mock of the cluster registry, for tests.
 * @public
 */
// eslint-disable-next-line @typescript-eslint/no-namespace
export namespace clusterRegistryServiceMock {
  /** A factory of the cluster registry service on the given clusters, for a test backend. */
  export const factory = (options: ClusterRegistryMockOptions) =>
    createServiceFactory({
      service: clusterRegistryServiceRef,
      deps: {},
      factory: () => clusterRegistryServiceMock(options),
    });

  /** A registry whose methods are jest mocks, serving the given clients by name. */
  export const mock = (
    clients: Record<string, ClusterClient> = {},
  ): jest.Mocked<ClusterRegistry> => {
    const names = Object.keys(clients);
    return {
      names: jest.fn(() => names),
      defaultName: jest.fn(() => names[0] ?? 'local'),
      get: jest.fn((name: string) => {
        const client = clients[name];
        if (!client)
          throw new Error(`No cluster named '${name}' is configured`);
        return client;
      }),
    };
  };
}

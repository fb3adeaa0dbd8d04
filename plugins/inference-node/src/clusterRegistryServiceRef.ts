import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  ClusterRegistry,
  createClusterRegistry,
} from './cluster/ClusterRegistry';
import { readClusterConfig } from './cluster/readClusterConfig';

/**
 * The clusters the portal manages, one client each, shared by the inference plugin and the
 * catalog module. Root-scoped: one registry (and one connection pool per cluster) per backend.
 * @public
 */
export const clusterRegistryServiceRef = createServiceRef<ClusterRegistry>({
  id: 'inference.clusters',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => createClusterRegistry(readClusterConfig(config)),
    }),
});

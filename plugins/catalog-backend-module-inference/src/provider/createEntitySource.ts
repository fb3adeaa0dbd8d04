import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRegistry,
  readTenants,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { discoverModels } from '../discovery/discoverModels';
import {
  readDeclaredModels,
  readForeignComponentNames,
} from '../discovery/readCatalogModels';
import { buildEntities, namingInputOf } from '../entities/buildEntities';
import { candidateNames } from '../entities/entityNames';

/**
 * Where the provider's entities come from.
 * @public
 */
export interface EntitySource {
  /**
   * The full set of entities now; undefined when the catalog lists no tenant yet (at start-up,
   * before its own locations are processed), so there is nothing sound to apply.
   */
  readEntities(): Promise<Entity[] | undefined>;
}

/** The platform System every model belongs to (catalog/system.yaml). */
export const PLATFORM_SYSTEM = 'inference-platform';

/**
 * Reads tenants and declared models from the catalog (with the module's own credentials) and the
 * InferenceServices and publications of every tenant namespace from the configured clusters.
 */
export function createEntitySource(deps: {
  catalog: CatalogService;
  auth: AuthService;
  clusters: ClusterRegistry;
  /** The root config (`inference.tenants.trustedLocations`). */
  config: Config;
  logger: LoggerService;
}): EntitySource {
  const defaultCluster = deps.clusters.defaultName();
  return {
    async readEntities() {
      // The same trusted tenants as the inference plugin: groups from untrusted locations, invalid
      // or conflicting ones are skipped (and logged once by readTenants), never discovered.
      const tenants = await readTenants({
        catalog: deps.catalog,
        auth: deps.auth,
        config: deps.config,
        logger: deps.logger,
        defaultCluster,
        clusterNames: deps.clusters.names(),
      });
      if (tenants.length === 0) {
        return undefined;
      }
      const credentials = await deps.auth.getOwnServiceCredentials();
      const [models, declared] = await Promise.all([
        discoverModels({
          tenants,
          clusters: deps.clusters,
          logger: deps.logger,
        }),
        readDeclaredModels({
          catalog: deps.catalog,
          credentials,
          defaultCluster,
        }),
      ]);
      const takenNames = await readForeignComponentNames({
        catalog: deps.catalog,
        credentials,
        names: candidateNames(models.map(namingInputOf)),
      });
      return buildEntities({
        models,
        declared,
        takenNames,
        system: PLATFORM_SYSTEM,
      });
    },
  };
}

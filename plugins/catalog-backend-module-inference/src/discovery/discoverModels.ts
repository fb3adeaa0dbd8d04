import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterRegistry,
  KINDS,
  KubeObject,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  LABEL_CANDIDATE_OF,
  toLabelValue,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { readPublications } from './readPublications';
import type { Tenant } from '@inference-in-a-box/backstage-plugin-inference-common';
import type { DiscoveredModel } from './types';

/**
 * Every InferenceService in the tenants' namespaces, with its publication (but for the candidates
 * of blue-green rollouts, which are their model's). A tenant whose cluster
 * is not configured is skipped with a warning (its models cannot exist for the portal). Any other
 * failure (a cluster unreachable) fails the whole discovery: a partial list would make a full
 * mutation delete the unreachable models' entities.
 */
export async function discoverModels(options: {
  tenants: Tenant[];
  clusters: ClusterRegistry;
  logger: LoggerService;
}): Promise<DiscoveredModel[]> {
  const configured = new Set(options.clusters.names());
  const perTenant = await Promise.all(
    options.tenants.map(async tenant => {
      if (!configured.has(tenant.cluster)) {
        options.logger.warn(
          `Tenant ${tenant.ref} names cluster '${tenant.cluster}', which is not configured; its models are skipped`,
        );
        return [];
      }
      const cluster = options.clusters.get(tenant.cluster);
      const [isvcs, publications] = await Promise.all([
        cluster.list<KubeObject>(
          KINDS.inferenceService.apiVersion,
          KINDS.inferenceService.kind,
          {
            namespace: tenant.namespace,
          },
        ),
        readPublications(cluster, tenant),
      ]);
      // A new version being rolled out blue-green is part of its model, not a model of its own.
      return isvcs
        .filter(isvc => !isvc.metadata.labels?.[LABEL_CANDIDATE_OF])
        .map(isvc => ({
          tenant,
          isvc,
          publication: publications.get(toLabelValue(isvc.metadata.name)),
        }));
    }),
  );
  return perTenant.flat();
}

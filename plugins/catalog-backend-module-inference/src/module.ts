import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  clusterRegistryServiceRef,
  MODELS_CHANGED_TOPIC,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { createEntitySource } from './provider/createEntitySource';
import { InferenceEntityProvider } from './provider/InferenceEntityProvider';
import { readProviderConfig } from './provider/readProviderConfig';

/**
 * Catalog module that keeps model Components and published-endpoint API entities in line with the
 * InferenceServices of the tenant namespaces, on the clusters the inference plugin is configured
 * with. This file only wires.
 * @public
 */
export const catalogModuleInference = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'inference-provider',
  register({ registerInit }) {
    registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        processing: catalogProcessingExtensionPoint,
        clusters: clusterRegistryServiceRef,
      },
      async init({
        config,
        logger,
        scheduler,
        auth,
        lifecycle,
        catalog,
        events,
        processing,
        clusters,
      }) {
        const { schedule } = readProviderConfig(config);
        const provider = new InferenceEntityProvider({
          source: createEntitySource({
            catalog,
            auth,
            clusters,
            config,
            logger,
          }),
          taskRunner: scheduler.createScheduledTaskRunner(schedule),
          logger,
        });
        processing.addEntityProvider(provider);
        await events.subscribe({
          id: 'inference-entity-provider',
          topics: [MODELS_CHANGED_TOPIC],
          // Not awaited: the publisher (the portal's request) must not wait for a catalog sync.
          onEvent: async ({ eventPayload }) =>
            provider.requestRefresh(
              `${MODELS_CHANGED_TOPIC} ${JSON.stringify(eventPayload)}`,
            ),
        });
        lifecycle.addShutdownHook(() => provider.stop());
      },
    });
  },
});

import {
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';

/**
 * Test stand-in for the catalog plugin's processing engine: it takes the entity providers that
 * modules register, connects them to a connection that records every mutation, and nothing else.
 */
export function recordingCatalog() {
  const providers: EntityProvider[] = [];
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    async applyMutation(mutation) {
      mutations.push(mutation);
    },
    async refresh() {},
  };
  const unsupported = () => {
    throw new Error('not supported by the recording catalog');
  };
  const plugin = createBackendPlugin({
    pluginId: 'catalog',
    register(env) {
      env.registerExtensionPoint(catalogProcessingExtensionPoint, {
        addEntityProvider: (...added) => providers.push(...added.flat()),
        addProcessor: unsupported,
        addPlaceholderResolver: unsupported,
        setOnProcessingErrorHandler: unsupported,
      });
      env.registerInit({
        deps: {},
        async init() {
          for (const provider of providers) await provider.connect(connection);
        },
      });
    },
  });

  /** The entities of the last full mutation. */
  const current = (): Entity[] => {
    const last = [...mutations].reverse().find(m => m.type === 'full');
    return last?.type === 'full' ? last.entities.map(e => e.entity) : [];
  };

  return { plugin, providers, mutations, current };
}

/** One events service for every plugin of a test backend, so events cross plugins as in production. */
export function sharedEventsFactory() {
  const events = mockServices.events();
  return createServiceFactory({
    service: eventsServiceRef,
    deps: {},
    factory: () => events,
  });
}

/** Waits until `check` passes (it throws until then), for at most `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
}

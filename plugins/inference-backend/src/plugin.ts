import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  inferencePermissions,
  parseInferenceModelRef,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  clusterRegistryServiceRef,
  inferenceModelResourceRef,
  inferenceModelRules,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { createPublishPlanStore } from './actions/PublishPlanStore';
import { registerInferenceActions } from './actions/registerInferenceActions';
import { createApiKeyService } from './apiKeys/ApiKeyService';
import { scheduleKeyExpiry } from './apiKeys/scheduleKeyExpiry';
import { readInferenceConfig } from './config';
import { createHistoryService } from './history/HistoryService';
import { createHistoryStore } from './history/HistoryStore';
import { createRouter } from './http/createRouter';
import { inferenceErrorHandler } from './http/errorHandler';
import { createModelService } from './models/ModelService';
import { createRolloutService } from './rollouts/RolloutService';
import {
  createRolloutProgress,
  scheduleRolloutProgress,
} from './rollouts/progressRollouts';
import { createModelAccess } from './permissions/ModelAccess';
import { createPlatformService } from './platform/PlatformService';
import { createDriftService } from './drift/DriftService';
import { driftNotifier } from './drift/driftNotifications';
import { createPublicationRecordStore } from './drift/PublicationRecordStore';
import { scheduleDriftCheck } from './drift/scheduleDriftCheck';
import { createPublicationEngine } from './publication/publicationEngine';
import { createPublicationCache } from './publication/publicationCache';
import { createPublicationLock } from './publication/publicationLock';
import { cacheSqliteStatements } from './database/cacheSqliteStatements';
import { createPublicationService } from './publication/PublicationService';
import { createRecovery } from './recovery/completeInterrupted';
import { createIntentStore } from './recovery/IntentStore';
import { scheduleRecovery } from './recovery/scheduleRecovery';
import { createTenantDirectory } from './tenants/TenantDirectory';
import { createTenantService } from './tenants/TenantService';
import { createTestInvocationService } from './testInvocation/TestInvocationService';
import { createPublicationLister } from './publication/listPublications';
import { createPrometheusClient } from './usage/prometheusClient';
import { createUsageService } from './usage/UsageService';

/**
 * The `inference` backend plugin: models, publications, API keys and test invocations on the
 * configured clusters. This file only wires services together.
 * @public
 */
export const inferencePlugin = createBackendPlugin({
  pluginId: 'inference',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        clusters: clusterRegistryServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { clusters } = deps;
        const config = readInferenceConfig(deps.config);
        const tenants = createTenantDirectory({
          catalog: deps.catalog,
          auth: deps.auth,
          config: deps.config,
          logger: deps.logger,
          defaultCluster: clusters.defaultName(),
          clusterNames: clusters.names(),
        });

        deps.permissionsRegistry.addResourceType({
          resourceRef: inferenceModelResourceRef,
          permissions: inferencePermissions,
          rules: Object.values(inferenceModelRules),
          getResources: async refs =>
            Promise.all(
              refs.map(async ref => {
                try {
                  const model = parseInferenceModelRef(ref);
                  const tenant = await tenants.byNamespace(
                    model.cluster,
                    model.namespace,
                  );
                  return { ...model, tenantRef: tenant?.ref };
                } catch {
                  return undefined;
                }
              }),
            ),
        });
        deps.permissionsRegistry.addPermissions(inferencePermissions);

        const access = createModelAccess({
          permissions: deps.permissions,
          tenants,
          // The same rules the apply-conditions endpoint runs (rules other modules add included);
          // a registry double without rulesets gets the plugin's own rules.
          ruleset: deps.permissionsRegistry.getPermissionRuleset?.(
            inferenceModelResourceRef,
          ),
        });
        cacheSqliteStatements(await deps.database.getClient());
        // Runs the migrations, the publication locks' table included.
        const history = await createHistoryStore(deps.database);
        const records = createPublicationRecordStore(
          await deps.database.getClient(),
        );
        const intents = createIntentStore(await deps.database.getClient());
        const cache = config.publicationCache.enabled
          ? createPublicationCache({ clusters, logger: deps.logger })
          : undefined;
        if (cache) deps.lifecycle.addShutdownHook(() => cache.stop());
        const engine = createPublicationEngine({
          config,
          clusters,
          history,
          auditor: deps.auditor,
          events: deps.events,
          lock: createPublicationLock(await deps.database.getClient(), {
            leaseMs: config.publicationLock.leaseMs,
          }),
          records,
          intents,
          cache,
        });
        // Several replicas share only the database (and the clusters): every change to a
        // publication holds its lock, and a change a stopped replica left half applied is applied
        // again by another (docs/architecture.md, "Several replicas").
        await scheduleRecovery({
          scheduler: deps.scheduler,
          auth: deps.auth,
          logger: deps.logger,
          recovery: createRecovery({ intents, engine, tenants, clusters }),
          frequencySeconds: config.recovery.frequencySeconds,
        });
        const drift = createDriftService({
          settings: config.drift,
          clusters,
          tenants,
          access,
          engine,
          records,
          history,
          auditor: deps.auditor,
          logger: deps.logger,
          notify: driftNotifier(deps.notifications),
        });
        if (config.drift.enabled) {
          await scheduleDriftCheck({
            scheduler: deps.scheduler,
            auth: deps.auth,
            logger: deps.logger,
            drift,
            frequencySeconds: config.drift.frequencySeconds,
          });
        }
        const apiKeys = createApiKeyService({
          clusters,
          tenants,
          access,
          engine,
          maxKeysPerPublication: config.publishing.maxKeysPerPublication,
        });
        await scheduleKeyExpiry({
          scheduler: deps.scheduler,
          auth: deps.auth,
          logger: deps.logger,
          apiKeys,
          frequencySeconds: config.keyExpiry.frequencySeconds,
        });
        const models = createModelService({
          clusters,
          access,
          history,
          auditor: deps.auditor,
          events: deps.events,
          driftedModels: () => drift.driftedModels(),
        });
        const usage = createUsageService({
          access,
          engine,
          history,
          listPublications: createPublicationLister(clusters),
          prometheus: config.usage
            ? createPrometheusClient({
                url: config.usage.prometheusUrl,
                timeoutMs: config.usage.timeoutMs,
              })
            : undefined,
        });
        const rollouts = createRolloutService({
          clusters,
          access,
          engine,
          history,
          auditor: deps.auditor,
          events: deps.events,
          usage,
        });
        await scheduleRolloutProgress({
          scheduler: deps.scheduler,
          auth: deps.auth,
          logger: deps.logger,
          progress: createRolloutProgress({
            clusters,
            tenants,
            engine,
            history,
            auditor: deps.auditor,
            events: deps.events,
            // Automatic roll backs read usage: without it there is nothing to check each run.
            rollouts: usage.configured ? rollouts : undefined,
          }),
          frequencySeconds: config.rollouts.frequencySeconds,
        });
        const publications = createPublicationService({
          config,
          clusters,
          tenants,
          access,
          engine,
          withDrift: summaries => drift.withDrift(summaries),
        });
        const testInvocations = createTestInvocationService({
          config,
          access,
          engine,
        });
        registerInferenceActions({
          actionsRegistry: deps.actionsRegistry,
          models,
          publications,
          apiKeys,
          rollouts,
          testInvocations,
          usage,
          plans: createPublishPlanStore(await deps.database.getClient()),
          defaultCluster: clusters.defaultName(),
        });
        const router = await createRouter({
          httpAuth: deps.httpAuth,
          models,
          publications,
          rollouts,
          drift,
          apiKeys,
          testInvocations,
          history: createHistoryService({ access, history }),
          platform: createPlatformService({
            config,
            clusters,
            tenants,
            access,
          }),
          tenants: createTenantService({ access, clusters }),
          usage,
          defaultCluster: clusters.defaultName(),
          rateCaps: config.rateCaps,
        });
        router.use(inferenceErrorHandler);
        deps.httpRouter.use(router);
      },
    });
  },
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kubernetesObjectsProviderExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { clusterRegistryServiceRef } from '@inference-in-a-box/backstage-plugin-inference-node';
import { TenantScopedObjectsProvider } from './TenantScopedObjectsProvider';
import { tenantReadScope } from './tenantReadScope';

/**
 * Limits the Kubernetes plugin's object reads to the caller's tenants (platform admins: all).
 *
 * The seam: `kubernetesObjectsProviderExtensionPoint` of @backstage/plugin-kubernetes-node. The
 * plugin (@backstage/plugin-kubernetes-backend 0.21.x, src/service/KubernetesInitializer.ts) calls
 * the factory registered here with `getDefault()`, which builds its default objects provider
 * (`KubernetesFanOutHandler`), and uses what the factory returns for every object read: the
 * routes POST /services/:serviceId (src/service/KubernetesRouter.ts), /resources/workloads/query
 * and /resources/custom/query (src/routes/resourcesRoutes.ts) and the
 * `get-kubernetes-resources-for-entity` action, each passing the catalog entity and the caller's
 * credentials. The default provider is wrapped, not re-implemented.
 *
 * Not covered (see the README's Security section): GET /clusters (`kubernetes.clusters.read`) and
 * the proxy (`kubernetes.proxy`, admins only) do not go through the objects provider.
 */
export default createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'tenant-scoped-objects',
  register(reg) {
    reg.registerInit({
      deps: {
        objectsProvider: kubernetesObjectsProviderExtensionPoint,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        clusters: clusterRegistryServiceRef,
      },
      async init({ objectsProvider, ...scopeSources }) {
        const scopeOf = tenantReadScope(scopeSources);
        objectsProvider.addObjectsProvider(
          async ({ getDefault }) =>
            new TenantScopedObjectsProvider(await getDefault(), scopeOf),
        );
      },
    });
  },
});

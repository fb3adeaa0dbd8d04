import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogTenantGroups,
  clusterRegistryServiceRef,
  InferencePortalPolicy,
} from '@inference-in-a-box/backstage-plugin-inference-node';

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'inference-portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        clusters: clusterRegistryServiceRef,
      },
      async init({ policy, logger, ...tenantSources }) {
        policy.setPolicy(
          new InferencePortalPolicy({
            tenantGroups: catalogTenantGroups({ ...tenantSources, logger }),
            logger,
          }),
        );
      },
    });
  },
});

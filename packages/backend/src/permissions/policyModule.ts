import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { InferencePortalPolicy } from './policy';

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'inference-portal-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new InferencePortalPolicy());
      },
    });
  },
});

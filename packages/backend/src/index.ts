import { createBackend } from '@backstage/backend-defaults';
import { authFeatures } from './auth';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// The auth plugin, OIDC, and the guest and devUsers providers in development only (./auth).
for (const feature of authFeatures) {
  backend.add(feature);
}

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(
  import(
    '@inference-in-a-box/backstage-plugin-catalog-backend-module-inference'
  ),
);

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import(
    '@inference-in-a-box/backstage-plugin-scaffolder-backend-module-inference'
  ),
);

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissions/policyModule'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-kubernetes-backend'));
// Object reads of the Kubernetes plugin limited to the caller's tenants (./kubernetes).
backend.add(import('./kubernetes/tenantScopedObjectsModule'));
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// In-app notifications (e.g. drift of a publication, to its tenant's group and the platform admins),
// pushed to open browsers through signals.
backend.add(import('@backstage/plugin-notifications-backend'));

backend.add(import('@inference-in-a-box/backstage-plugin-inference-backend'));
// The actions of the plugins in backend.actions.pluginSources (app-config.yaml) as MCP tools for AI
// agents, at /api/mcp-actions/v1 (streamable HTTP), run as the calling user (README, AI agents).
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();

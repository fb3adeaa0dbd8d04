import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { InferenceClient } from '@inference-in-a-box/backstage-plugin-inference-common';
import { awaitModelEntityAction } from './actions/awaitModelEntity';
import { createModelAction } from './actions/createModel';
import { publishModelAction } from './actions/publishModel';
import { rolloutModelAction } from './actions/rolloutModel';

/**
 * Scaffolder actions of the inference platform. They call the inference backend (never a cluster)
 * with the typed client, on behalf of the user who runs the template.
 * @public
 */
export const scaffolderModuleInference = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'inference',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init({ scaffolderActions, auth, discovery, catalog }) {
        const api = new InferenceClient({
          getBaseUrl: () => discovery.getBaseUrl('inference'),
        });
        scaffolderActions.addActions(
          createModelAction({ api, auth }),
          publishModelAction({ api, auth }),
          rolloutModelAction({ api, auth }),
          awaitModelEntityAction({ catalog }),
        );
      },
    });
  },
});

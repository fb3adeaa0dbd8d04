import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import MemoryIcon from '@material-ui/icons/Memory';
import { inferenceApi } from './extensions/api';
import {
  modelEndpointContent,
  modelHistoryContent,
  modelRolloutContent,
  modelStatusCard,
  modelTestContent,
  modelUsageContent,
} from './extensions/entity';
import {
  inferencePage,
  modelsSubPage,
  platformSubPage,
  publicationsSubPage,
  tenantsSubPage,
} from './extensions/page';
import { rootRouteRef } from './routes';
import { tenantPickerField } from './extensions/scaffolder';

/**
 * The inference frontend plugin: the Inference page (models, tenants, publications and, for
 * platform admins, the platform overview) and, on model entity pages, the serving status card and
 * the Endpoint, Test, Rollout, History and Usage tabs.
 * @public
 */
export const inferencePlugin = createFrontendPlugin({
  pluginId: 'inference',
  title: 'Inference',
  icon: <MemoryIcon />,
  info: { packageJson: () => import('../package.json') },
  extensions: [
    inferenceApi,
    inferencePage,
    modelsSubPage,
    tenantsSubPage,
    publicationsSubPage,
    platformSubPage,
    modelStatusCard,
    modelEndpointContent,
    modelTestContent,
    modelRolloutContent,
    modelHistoryContent,
    modelUsageContent,
    tenantPickerField,
  ],
  routes: {
    root: rootRouteRef,
  },
});

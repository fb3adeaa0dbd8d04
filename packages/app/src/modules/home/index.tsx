import { Navigate } from 'react-router-dom';
import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

/** The portal has no home page of its own yet: `/` opens the catalog. */
const rootRedirect = PageBlueprint.make({
  name: 'root-redirect',
  params: {
    path: '/',
    loader: async () => <Navigate to="/catalog" replace />,
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [rootRedirect],
});

import {
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import MemoryIcon from '@material-ui/icons/Memory';
import { rootRouteRef } from '../routes';

/** The Inference page (`/inference`, in the sidebar); its tabs are the sub-pages below. */
export const inferencePage = PageBlueprint.make({
  params: {
    path: '/inference',
    title: 'Inference',
    icon: <MemoryIcon />,
    routeRef: rootRouteRef,
  },
});

export const modelsSubPage = SubPageBlueprint.make({
  name: 'models',
  params: {
    path: 'models',
    title: 'Models',
    loader: () =>
      import('../components/ModelsPage').then(m => <m.ModelsPage />),
  },
});

export const tenantsSubPage = SubPageBlueprint.make({
  name: 'tenants',
  params: {
    path: 'tenants',
    title: 'Tenants',
    loader: () =>
      import('../components/TenantsPage').then(m => <m.TenantsPage />),
  },
});

export const publicationsSubPage = SubPageBlueprint.make({
  name: 'publications',
  params: {
    path: 'publications',
    title: 'Publications',
    loader: () =>
      import('../components/PublicationsPage').then(m => (
        <m.PublicationsPage />
      )),
  },
});

import {
  coreExtensionData,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { inferenceAdminPermission } from '@inference-in-a-box/backstage-plugin-inference-common';
import MemoryIcon from '@material-ui/icons/Memory';
import { rootRouteRef } from '../routes';

const PAGE_PARAMS = {
  path: '/inference',
  title: 'Inference',
  icon: <MemoryIcon />,
  routeRef: rootRouteRef,
};

/** The tabs only platform admins (`inference.admin`) see, by extension id. */
const ADMIN_TABS = ['sub-page:inference/platform'];

/** The page with every tab for platform admins; without the admin tabs while unknown or denied. */
function PageForUser(props: { admin: JSX.Element; others: JSX.Element }) {
  const { allowed } = usePermission({ permission: inferenceAdminPermission });
  return allowed ? props.admin : props.others;
}

/**
 * The Inference page (`/inference`, in the sidebar); its tabs are the sub-pages below. The page
 * lists the tabs it is given without asking who looks, so it is built twice, with and without the
 * admin tabs, and the user's permission picks one.
 */
export const inferencePage = PageBlueprint.makeWithOverrides({
  *factory(originalFactory, { inputs }) {
    const page = originalFactory(PAGE_PARAMS);
    const withoutAdminTabs = originalFactory(PAGE_PARAMS, {
      inputs: {
        pages: inputs.pages.filter(
          tab => !ADMIN_TABS.includes(tab.node.spec.id),
        ),
      },
    });
    for (const output of page) {
      if (output.id !== coreExtensionData.reactElement.id) yield output;
    }
    yield coreExtensionData.reactElement(
      <PageForUser
        admin={page.get(coreExtensionData.reactElement)}
        others={withoutAdminTabs.get(coreExtensionData.reactElement)}
      />,
    );
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

/** Platform admins only: the page shows this tab to holders of `inference.admin` alone. */
export const platformSubPage = SubPageBlueprint.make({
  name: 'platform',
  params: {
    path: 'platform',
    title: 'Platform',
    loader: () =>
      import('../components/PlatformPage').then(m => <m.PlatformPage />),
  },
});

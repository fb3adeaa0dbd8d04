import { act, screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
  type TestAppOptions,
  type TestAppRenderResult,
} from '@backstage/frontend-test-utils';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { InferenceApi } from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../api';
import { inferencePlugin } from '../plugin';
import { fakeInferenceApi } from './fakeInferenceApi';
import { modelEntity } from './fixtures';

/**
 * Renders a component of the plugin in a test app with the given inference API (and any other
 * APIs), with entity links mounted, as the Inference page's tabs need them.
 */
export function renderWithApi(
  element: JSX.Element,
  options: { api: InferenceApi; apis?: TestAppOptions['apis'] },
) {
  return renderInTestApp(element, {
    apis: [[inferenceApiRef, options.api], ...(options.apis ?? [])],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

/**
 * Renders an entity-page component for a model entity (sklearn-iris by default) in a test app.
 * `allow` allows every permission (default), none, or those whose name the function accepts.
 */
export function renderForModel(
  element: JSX.Element,
  options: {
    api: InferenceApi;
    entity?: Entity;
    allow?: boolean | ((permissionName: string) => boolean);
  },
) {
  const { api, entity = modelEntity('sklearn-iris'), allow = true } = options;
  const decide = (allowed: boolean) =>
    allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
  return renderWithApi(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      api,
      apis: [
        mockApis.permission({
          authorize:
            typeof allow === 'function'
              ? request => decide(allow(request.permission.name))
              : decide(allow),
        }),
      ],
    },
  );
}

/** The Inference page (`page:inference`) with every one of its tabs attached. */
export function inferencePageTester() {
  return createExtensionTester(inferencePlugin.getExtension('page:inference'))
    .add(inferencePlugin.getExtension('sub-page:inference/models'))
    .add(inferencePlugin.getExtension('sub-page:inference/tenants'))
    .add(inferencePlugin.getExtension('sub-page:inference/publications'))
    .add(inferencePlugin.getExtension('sub-page:inference/platform'));
}

/**
 * Renders the Inference page at `route` (e.g. `/models`) for a user who is, or is not, a platform
 * admin, and waits until its tabs show with the permission framework's answer. Returns the render
 * result and the permission API's `authorize` handler (usePermission caches answers per module, so
 * only the first render of a test file calls it).
 */
export async function renderInferencePage(options: {
  route: string;
  admin: boolean;
  api?: InferenceApi;
}): Promise<
  TestAppRenderResult & {
    authorize: jest.Mock<AuthorizeResult, [EvaluatePermissionRequest]>;
  }
> {
  const authorize = jest.fn((_request: EvaluatePermissionRequest) =>
    options.admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
  );
  const result = await renderInTestApp(inferencePageTester().reactElement(), {
    initialRouteEntries: [options.route],
    apis: [
      [inferenceApiRef, options.api ?? fakeInferenceApi()],
      catalogApiMock(),
      mockApis.permission({ authorize }),
    ],
  });
  await screen.findByRole('tab', { name: 'Models' });
  // The answer arrives asynchronously; one macrotask later it is rendered.
  await act(() => new Promise(resolve => setTimeout(resolve, 0)));
  return Object.assign(result, { authorize });
}

import type { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  renderInTestApp,
  type TestAppOptions,
} from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { InferenceApi } from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../api';
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

/** Renders an entity-page component for a model entity (sklearn-iris by default) in a test app. */
export function renderForModel(
  element: JSX.Element,
  options: { api: InferenceApi; entity?: Entity; allow?: boolean },
) {
  const { api, entity = modelEntity('sklearn-iris'), allow = true } = options;
  return renderWithApi(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      api,
      apis: [
        mockApis.permission({
          authorize: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        }),
      ],
    },
  );
}

import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { InferenceApi } from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../api';
import { modelEntity } from './fixtures';

/** Renders an entity-page component for a model entity (sklearn-iris by default) in a test app. */
export function renderForModel(
  element: JSX.Element,
  options: { api: InferenceApi; entity?: Entity; allow?: boolean },
) {
  const { api, entity = modelEntity('sklearn-iris'), allow = true } = options;
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [
        [inferenceApiRef, api],
        mockApis.permission({
          authorize: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { MODEL_ENTITY_FILTER } from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { buildModelRows, MODEL_ENTITY_FIELDS } from './modelRows';

/** Rows shown while the whole catalog listing is on its way: more than one page of the table. */
export const FIRST_PAGE_SIZE = 100;

/**
 * Loads the catalog's models and the live models side by side. The catalog is required; when only
 * the live listing fails, the rows still show (status unknown) together with that error.
 *
 * With thousands of models the full listing takes a while, so the first rows (by name) come from
 * a small paginated query and show at once; the full list replaces them when it arrives
 * (`complete` says which one is on screen: filters and counts need the full list).
 */
export function useModelRows() {
  const catalogApi = useApi(catalogApiRef);
  const inferenceApi = useApi(inferenceApiRef);
  const live = useAsyncRetry(() => inferenceApi.listModels(), [inferenceApi]);
  const firstPage = useAsync(
    () =>
      catalogApi.queryEntities({
        filter: MODEL_ENTITY_FILTER,
        fields: MODEL_ENTITY_FIELDS,
        limit: FIRST_PAGE_SIZE,
        orderFields: { field: 'metadata.name', order: 'asc' },
      }),
    [catalogApi],
  );
  const all = useAsyncRetry(
    () =>
      catalogApi.getEntities({
        filter: MODEL_ENTITY_FILTER,
        fields: MODEL_ENTITY_FIELDS,
      }),
    [catalogApi],
  );
  const entities = all.value?.items ?? firstPage.value?.items;
  const liveSettled = !live.loading;
  const rows = useMemo(
    () =>
      entities && liveSettled
        ? buildModelRows(entities, live.value)
        : undefined,
    [entities, liveSettled, live.value],
  );
  return {
    loading: all.loading || live.loading,
    error: all.error,
    retry: () => {
      all.retry();
      live.retry();
    },
    rows,
    complete: Boolean(all.value),
    liveError: live.error,
  };
}

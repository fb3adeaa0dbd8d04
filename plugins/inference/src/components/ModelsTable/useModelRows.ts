import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { MODEL_ENTITY_FILTER } from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { buildModelRows, MODEL_ENTITY_FIELDS } from './modelRows';

/**
 * Loads the catalog's models and the live models side by side. The catalog is required; when only
 * the live listing fails, the rows still show (status unknown) together with that error.
 */
export function useModelRows() {
  const catalogApi = useApi(catalogApiRef);
  const inferenceApi = useApi(inferenceApiRef);
  const state = useAsyncRetry(async () => {
    const [catalog, live] = await Promise.allSettled([
      catalogApi.getEntities({
        filter: MODEL_ENTITY_FILTER,
        fields: MODEL_ENTITY_FIELDS,
      }),
      inferenceApi.listModels(),
    ]);
    if (catalog.status === 'rejected') throw catalog.reason;
    return {
      entities: catalog.value.items,
      live: live.status === 'fulfilled' ? live.value : undefined,
      liveError:
        live.status === 'rejected' ? (live.reason as Error) : undefined,
    };
  }, [catalogApi, inferenceApi]);
  const rows = useMemo(
    () => state.value && buildModelRows(state.value.entities, state.value.live),
    [state.value],
  );
  return {
    loading: state.loading,
    error: state.error,
    retry: state.retry,
    rows,
    liveError: state.value?.liveError,
  };
}

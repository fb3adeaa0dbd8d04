import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  InferenceApi,
  ModelLocator,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../api';

/** The backend's reads about one model. */
type ModelQuery = 'getModel' | 'getPublication' | 'getHistory';
type ModelQueryResult<Q extends ModelQuery> = Awaited<
  ReturnType<InferenceApi[Q]>
>;

/**
 * Reads one thing about a model from the inference backend, again whenever the model changes
 * (compared by cluster, namespace and name, not by the locator object), with `retry` to reload.
 */
export function useModelQuery<Q extends ModelQuery>(
  query: Q,
  locator: ModelLocator,
) {
  const api = useApi(inferenceApiRef);
  const { cluster, namespace, name } = locator;
  return useAsyncRetry(
    () =>
      api[query]({ cluster, namespace, name }) as Promise<ModelQueryResult<Q>>,
    [api, query, cluster, namespace, name],
  );
}

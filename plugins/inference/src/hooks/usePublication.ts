import { useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ModelLocator } from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../api';

/**
 * The model's publication (undefined value: not published), with `retry` to reload after a change.
 * `initialLoading` is true only until the first answer: reloads keep the current view mounted, so
 * a dialog that is showing a new key is not torn down by the refresh it triggered.
 */
export function usePublication(locator: ModelLocator) {
  const api = useApi(inferenceApiRef);
  const { cluster, namespace, name } = locator;
  const state = useAsyncRetry(
    () => api.getPublication({ cluster, namespace, name }),
    [api, cluster, namespace, name],
  );
  const settled = useRef(false);
  if (!state.loading) settled.current = true;
  return { ...state, initialLoading: state.loading && !settled.current };
}

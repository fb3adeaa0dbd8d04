import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ModelLocator,
  UsageWindow,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../api';

/**
 * One model's usage over a window, read again when the model or the window changes. While a new
 * window loads, `value` still holds the previous one's figures (react-use keeps it), so the view
 * can stay in place under a progress bar.
 */
export function useModelUsage(locator: ModelLocator, window: UsageWindow) {
  const api = useApi(inferenceApiRef);
  const { cluster, namespace, name } = locator;
  return useAsyncRetry(
    () => api.getModelUsage({ cluster, namespace, name }, window),
    [api, cluster, namespace, name, window],
  );
}

/** The usage of every tenant the user may read, over a window. */
export function useTenantUsage(window: UsageWindow) {
  const api = useApi(inferenceApiRef);
  return useAsyncRetry(() => api.getTenantUsage(window), [api, window]);
}

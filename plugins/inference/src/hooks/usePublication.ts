import { useRef } from 'react';
import type { ModelLocator } from '@inference-in-a-box/backstage-plugin-inference-common';
import { useModelQuery } from './useModelQuery';

/**
 * The model's publication (undefined value: not published), with `retry` to reload after a change.
 * `initialLoading` is true only until the first answer: reloads keep the current view mounted, so
 * a dialog that is showing a new key is not torn down by the refresh it triggered.
 */
export function usePublication(locator: ModelLocator) {
  const state = useModelQuery('getPublication', locator);
  const settled = useRef(false);
  if (!state.loading) settled.current = true;
  return { ...state, initialLoading: state.loading && !settled.current };
}

export type PublicationState = ReturnType<typeof usePublication>;

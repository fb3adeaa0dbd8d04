import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ModelLocator,
  RolloutStatus,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { isSettled } from './rolloutRules';

/** How often the tab reads the rollout again while a change is under way. */
export const ROLLOUT_POLL_MS = 3_000;
/** How often it reads a settled canary's figures again (they move with each Prometheus scrape). */
export const FIGURES_POLL_MS = 10_000;
/** Polling stops this long after the last change (or the page opened) even if nothing settled. */
const MAX_POLLING_MS = 5 * 60_000;

interface Loaded {
  value?: RolloutStatus;
  error?: unknown;
  loading: boolean;
}

/** A canary whose versions have figures: someone watching it wants them current. */
const showsLiveFigures = (status: RolloutStatus) =>
  status.phase === 'canary' &&
  Boolean(status.stable?.usage || status.candidate?.usage);

/**
 * A model's rollout, read again every `pollMs` while a change is under way: while the cluster has
 * not settled (see `isSettled`), or an operation applied from this page is not visible in the
 * status yet (`applied`'s expectation); and every `figuresPollMs` while a settled canary shows
 * figures per version. Polling stops once neither holds, or five minutes after the page opened or
 * the last change; `refresh` reads again (and starts polling again if needed).
 */
export function useRollout(
  locator: ModelLocator,
  pollMs = ROLLOUT_POLL_MS,
  figuresPollMs = FIGURES_POLL_MS,
) {
  const api = useApi(inferenceApiRef);
  const { cluster, namespace, name } = locator;
  const [state, setState] = useState<Loaded>({ loading: true });
  /** What an operation applied from this page must show once the cluster has acted on it. */
  const expectation = useRef<(status: RolloutStatus) => boolean>();
  const deadline = useRef(Date.now() + MAX_POLLING_MS);
  /** Counts reads, so an answer older than the last read or apply is dropped. */
  const reads = useRef(0);

  const load = useCallback(async () => {
    const read = ++reads.current;
    setState(previous => ({ ...previous, loading: true }));
    try {
      const value = await api.getRollout({ cluster, namespace, name });
      if (read !== reads.current) return;
      if (expectation.current?.(value)) expectation.current = undefined;
      setState({ value, loading: false });
    } catch (error) {
      if (read !== reads.current) return;
      setState(previous => ({ ...previous, error, loading: false }));
    }
  }, [api, cluster, namespace, name]);

  const refresh = useCallback(() => {
    deadline.current = Date.now() + MAX_POLLING_MS;
    load();
  }, [load]);

  useEffect(refresh, [refresh]);

  const changing =
    state.value !== undefined &&
    (!isSettled(state.value) || expectation.current !== undefined);
  const figures = state.value !== undefined && showsLiveFigures(state.value);
  const inTime = Date.now() < deadline.current;
  /** A change is under way and the tab follows it. */
  const polling = changing && inTime;
  /** Nothing changes but the figures, which the tab reads again now and then. */
  const refreshingFigures = !changing && figures && inTime;
  const interval = polling ? pollMs : figuresPollMs;

  useEffect(() => {
    if (!(polling || refreshingFigures) || state.loading) return undefined;
    const timer = setTimeout(load, interval);
    return () => clearTimeout(timer);
  }, [polling, refreshingFigures, state, load, interval]);

  /** Shows the state an operation answered with, and keeps reading until `expected` holds. */
  const applied = useCallback(
    (rollout: RolloutStatus, expected?: (status: RolloutStatus) => boolean) => {
      reads.current++;
      expectation.current =
        expected && !expected(rollout) ? expected : undefined;
      deadline.current = Date.now() + MAX_POLLING_MS;
      setState({ value: rollout, loading: false });
    },
    [],
  );

  return { ...state, polling, refreshingFigures, refresh, applied };
}

export type RolloutQuery = ReturnType<typeof useRollout>;

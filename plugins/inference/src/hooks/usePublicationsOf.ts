import { useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ModelLocator,
  PublicationSummary,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../api';

export type PublicationLookup =
  | { state: 'loading' }
  | { state: 'loaded'; publication?: PublicationSummary }
  | { state: 'failed'; error: Error };

/**
 * Fetches the publications of the given models once each and keeps them for the life of the
 * component. The models table asks only for the published rows on the visible page, so a list of
 * thousands of models costs at most one page of requests at a time.
 */
export function usePublicationsOf(
  models: { id: string; locator: ModelLocator }[],
): Map<string, PublicationLookup> {
  const api = useApi(inferenceApiRef);
  const [lookups, setLookups] = useState(
    () => new Map<string, PublicationLookup>(),
  );
  const requested = useRef(new Set<string>());

  useEffect(() => {
    const missing = models.filter(m => !requested.current.has(m.id));
    if (missing.length === 0) return;
    const settle = (id: string, lookup: PublicationLookup) =>
      setLookups(previous => new Map(previous).set(id, lookup));
    for (const { id, locator } of missing) {
      requested.current.add(id);
      settle(id, { state: 'loading' });
      api.getPublication(locator).then(
        publication => settle(id, { state: 'loaded', publication }),
        error => settle(id, { state: 'failed', error }),
      );
    }
  }, [api, models]);

  return lookups;
}

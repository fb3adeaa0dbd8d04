import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import { inferenceApiRef } from '../../api';
import { PageTabContent } from '../PageTabContent';
import { SearchableTable } from '../SearchableTable';
import { listPublications } from './listPublications';
import { publicationColumns } from './publicationColumns';
import { useDriftedEntityRefs } from './useDriftedEntityRefs';

/** The Publications tab: every published model with its endpoint, state, auth, limits and keys. */
export function PublicationsPage() {
  const api = useApi(inferenceApiRef);
  const { loading, error, value, retry } = useAsyncRetry(
    () => listPublications(api),
    [api],
  );
  const entityRefs = useDriftedEntityRefs(value);
  const columns = useMemo(() => publicationColumns(entityRefs), [entityRefs]);
  return (
    <PageTabContent
      loading={loading}
      error={error}
      errorTitle="Could not load the publications"
      onRetry={retry}
    >
      {value && (
        <SearchableTable
          title="Publications"
          columns={columns}
          data={value}
          emptyText="No model is published yet."
        />
      )}
    </PageTabContent>
  );
}

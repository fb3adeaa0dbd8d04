import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Content, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { inferenceApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiError';
import { listPublications } from './listPublications';
import { PublicationsTable } from './PublicationsTable';

/** The Publications tab: every published model with its endpoint, state, auth, limits and keys. */
export function PublicationsPage() {
  const api = useApi(inferenceApiRef);
  const { loading, error, value, retry } = useAsyncRetry(
    () => listPublications(api),
    [api],
  );
  return (
    <Content>
      {loading && <Progress />}
      {error && (
        <Box mb={2}>
          <ApiErrorPanel
            error={error}
            title="Could not load the publications"
          />
          <Button onClick={retry}>Retry</Button>
        </Box>
      )}
      {value && <PublicationsTable publications={value} />}
    </Content>
  );
}

import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { PageTabContent } from '../PageTabContent';
import { ModelsTable } from './ModelsTable';
import { useModelRows } from './useModelRows';

/** The Models tab of the Inference page: catalog models with their live serving status. */
export function ModelsPage() {
  const { loading, error, retry, rows, complete, liveError } = useModelRows();
  return (
    <PageTabContent
      // The first rows show while the rest load.
      loading={loading && !rows}
      error={error}
      errorTitle="Could not load the models from the catalog"
      onRetry={retry}
    >
      {liveError && (
        <Box mb={2}>
          <ApiErrorPanel
            error={liveError}
            title="Could not load the live status of the models; statuses show as unknown"
          />
        </Box>
      )}
      {rows && !complete && !error && (
        <Box mb={1}>
          <Typography variant="body2" color="textSecondary">
            Showing the first models; loading all of them for filters and
            counts…
          </Typography>
        </Box>
      )}
      {rows && <ModelsTable rows={rows} />}
    </PageTabContent>
  );
}

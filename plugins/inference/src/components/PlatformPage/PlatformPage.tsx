import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { inferenceApiRef } from '../../api';
import { PageTabContent } from '../PageTabContent';
import { UsageOverview } from '../UsageOverview';
import { ClusterCard } from './ClusterCard';

/**
 * The Platform tab (platform admins only): per configured cluster, whether it is reachable, which
 * platform API groups are installed, the platform Gateway's conditions and each tenant's counts;
 * above them, every tenant's usage (read on its own, so either can fail without the other).
 */
export function PlatformPage() {
  const api = useApi(inferenceApiRef);
  const { loading, error, value, retry } = useAsyncRetry(
    () => api.getPlatformOverview(),
    [api],
  );
  return (
    <PageTabContent
      loading={loading}
      error={error}
      errorTitle="Could not load the platform overview"
      onRetry={retry}
    >
      <Box mb={3}>
        <UsageOverview />
      </Box>
      {value &&
        (value.clusters.length === 0 ? (
          <Typography>No cluster is configured.</Typography>
        ) : (
          <Grid container spacing={3}>
            {value.clusters.map(cluster => (
              <Grid item xs={12} key={cluster.cluster}>
                <ClusterCard overview={cluster} />
              </Grid>
            ))}
          </Grid>
        ))}
    </PageTabContent>
  );
}

import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Content, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { inferenceApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiError';
import { buildTenantRows } from './tenantRows';
import { TenantsTable } from './TenantsTable';

/** The Tenants tab: tenant groups, their namespace and members, and how many models each runs. */
export function TenantsPage() {
  const api = useApi(inferenceApiRef);
  const { loading, error, value, retry } = useAsyncRetry(async () => {
    const [tenants, models] = await Promise.allSettled([
      api.listTenants(),
      api.listModels(),
    ]);
    if (tenants.status === 'rejected') throw tenants.reason;
    return {
      tenants: tenants.value,
      models: models.status === 'fulfilled' ? models.value : undefined,
      modelsError: models.status === 'rejected' ? models.reason : undefined,
    };
  }, [api]);
  const rows = useMemo(
    () => value && buildTenantRows(value.tenants, value.models),
    [value],
  );
  return (
    <Content>
      {loading && <Progress />}
      {error && (
        <Box mb={2}>
          <ApiErrorPanel error={error} title="Could not load the tenants" />
          <Button onClick={retry}>Retry</Button>
        </Box>
      )}
      {value?.modelsError && (
        <Box mb={2}>
          <ApiErrorPanel
            error={value.modelsError}
            title="Could not count the models of each tenant"
          />
        </Box>
      )}
      {rows && <TenantsTable rows={rows} />}
    </Content>
  );
}

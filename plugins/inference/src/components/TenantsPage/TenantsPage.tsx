import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import { inferenceApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { PageTabContent } from '../PageTabContent';
import { SearchableTable } from '../SearchableTable';
import { TENANT_COLUMNS } from './tenantColumns';
import { buildTenantRows } from './tenantRows';

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
    <PageTabContent
      loading={loading}
      error={error}
      errorTitle="Could not load the tenants"
      onRetry={retry}
    >
      {value?.modelsError && (
        <Box mb={2}>
          <ApiErrorPanel
            error={value.modelsError}
            title="Could not count the models of each tenant"
          />
        </Box>
      )}
      {rows && (
        <SearchableTable
          title="Tenants"
          columns={TENANT_COLUMNS}
          data={rows}
          emptyText="No tenant groups in the catalog (Groups with spec.type tenant)."
        />
      )}
    </PageTabContent>
  );
}

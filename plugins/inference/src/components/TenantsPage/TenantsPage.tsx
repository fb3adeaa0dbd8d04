import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import { inferenceApiRef } from '../../api';
import { useTenantUsage } from '../../hooks/useUsage';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { PageTabContent } from '../PageTabContent';
import { SearchableTable } from '../SearchableTable';
import { isUsageNotConfigured, UsageErrorPanel } from '../UsageStates';
import {
  TENANT_COLUMNS,
  tenantUsageColumns,
  type UsageColumnsState,
} from './tenantColumns';
import { buildTenantRows } from './tenantRows';

/**
 * The Tenants tab: tenant groups, their namespace and members, how many models each runs and, when
 * the portal reads usage from Prometheus, their requests and tokens of the last 24 hours. Usage is
 * read apart from the rest, so the table never waits for Prometheus nor fails with it.
 */
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
  const usage = useTenantUsage('24h');
  const notConfigured = !!usage.error && isUsageNotConfigured(usage.error);
  let usageState: UsageColumnsState = 'loaded';
  if (usage.loading) usageState = 'loading';
  else if (usage.error) usageState = 'failed';
  const columns = useMemo(
    () =>
      notConfigured
        ? TENANT_COLUMNS
        : [...TENANT_COLUMNS, ...tenantUsageColumns(usageState)],
    [notConfigured, usageState],
  );
  const rows = useMemo(
    () => value && buildTenantRows(value.tenants, value.models, usage.value),
    [value, usage.value],
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
      {value && usage.error && (
        <Box mb={2}>
          <UsageErrorPanel error={usage.error} onRetry={usage.retry} compact />
        </Box>
      )}
      {rows && (
        <SearchableTable
          title="Tenants"
          columns={columns}
          data={rows}
          emptyText="No tenant groups in the catalog (Groups with spec.type tenant)."
        />
      )}
    </PageTabContent>
  );
}

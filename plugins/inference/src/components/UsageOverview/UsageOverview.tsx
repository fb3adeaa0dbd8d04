import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  TenantUsage,
  UsageWindow,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { useTenantUsage } from '../../hooks/useUsage';
import { formatCount, WINDOW_PHRASES } from '../../usage/formatUsage';
import { CompactTable } from '../CompactTable';
import { UsageErrorPanel } from '../UsageStates';
import { UsageWindowPicker } from '../UsageWindowPicker';
import { TenantRequestsChart } from './TenantRequestsChart';

/** How many of the busiest models the overview lists. */
export const BUSIEST_MODELS = 10;

const byClass = (requests: TenantUsage['requests'], c: string) =>
  formatCount(requests.byStatusClass[c] ?? 0);

function TenantsTable(props: { tenants: TenantUsage[] }) {
  return (
    <CompactTable
      label="Usage by tenant"
      headers={[
        'Tenant',
        'Models',
        'Requests',
        '2xx',
        '4xx',
        '5xx',
        '429',
        'Tokens in',
        'Tokens out',
        'Tokens total',
      ]}
    >
      {props.tenants.map(t => (
        <TableRow key={t.tenant} aria-label={`Tenant ${t.tenant}`}>
          <TableCell>{t.tenant}</TableCell>
          <TableCell>{t.models.length}</TableCell>
          <TableCell>{formatCount(t.requests.total)}</TableCell>
          <TableCell>{byClass(t.requests, '2xx')}</TableCell>
          <TableCell>{byClass(t.requests, '4xx')}</TableCell>
          <TableCell>{byClass(t.requests, '5xx')}</TableCell>
          <TableCell>{formatCount(t.requests.rateLimited)}</TableCell>
          <TableCell>{formatCount(t.tokens.input)}</TableCell>
          <TableCell>{formatCount(t.tokens.output)}</TableCell>
          <TableCell>{formatCount(t.tokens.total)}</TableCell>
        </TableRow>
      ))}
    </CompactTable>
  );
}

function BusiestModelsTable(props: { tenants: TenantUsage[] }) {
  const models = props.tenants
    .flatMap(t => t.models.map(m => ({ ...m, tenant: t.tenant })))
    .filter(m => m.requests.total > 0)
    .sort((a, b) => b.requests.total - a.requests.total)
    .slice(0, BUSIEST_MODELS);
  return (
    <CompactTable
      label="Busiest models"
      headers={['Model', 'Tenant', 'Cluster', 'Requests', '429', 'Tokens']}
    >
      {models.map(m => {
        const ref = `${m.model.cluster}/${m.model.namespace}/${m.model.name}`;
        return (
          <TableRow key={ref} aria-label={`Model ${ref}`}>
            <TableCell>
              {m.model.namespace}/{m.model.name}
            </TableCell>
            <TableCell>{m.tenant}</TableCell>
            <TableCell>{m.model.cluster}</TableCell>
            <TableCell>{formatCount(m.requests.total)}</TableCell>
            <TableCell>{formatCount(m.requests.rateLimited)}</TableCell>
            <TableCell>
              {m.tokens ? formatCount(m.tokens.total) : 'n/a'}
            </TableCell>
          </TableRow>
        );
      })}
    </CompactTable>
  );
}

function Heading(props: { children: string }) {
  return (
    <Typography variant="subtitle1" component="h3" gutterBottom>
      {props.children}
    </Typography>
  );
}

/** The busiest tenants first; tenants without traffic last, by name. */
const busiestFirst = (tenants: TenantUsage[]) =>
  [...tenants].sort(
    (a, b) =>
      b.requests.total - a.requests.total || a.tenant.localeCompare(b.tenant),
  );

/**
 * The platform admins' overview of usage: every tenant's requests by outcome, 429s and tokens over
 * a window, as a chart and a table, and the busiest models. Read apart from the cluster overview,
 * so a Prometheus that does not answer costs this card only.
 */
export function UsageOverview() {
  const [window, setWindow] = useState<UsageWindow>('24h');
  const { loading, error, value, retry } = useTenantUsage(window);
  const tenants = value && busiestFirst(value);
  const idle = !!tenants && tenants.every(t => t.requests.total === 0);
  return (
    <section aria-label="Usage by tenant" aria-busy={loading}>
      <InfoCard
        title="Usage by tenant"
        subheader={`Requests, 429s and tokens ${WINDOW_PHRASES[window]}, from Prometheus`}
        action={<UsageWindowPicker value={window} onChange={setWindow} />}
      >
        <Box height={4} mb={1}>
          {loading && value && <LinearProgress aria-label="Loading usage" />}
        </Box>
        {loading && !value && !error && <Progress />}
        {error && <UsageErrorPanel error={error} onRetry={retry} />}
        {!error && tenants && idle && (
          <Typography role="status">
            No traffic in this window: the gateway recorded no request{' '}
            {WINDOW_PHRASES[window]}.
          </Typography>
        )}
        {!error && tenants && !idle && (
          <>
            <TenantRequestsChart tenants={tenants} />
            <Box mt={3}>
              <Heading>Tenants</Heading>
              <TenantsTable tenants={tenants} />
            </Box>
            <Box mt={3}>
              <Heading>Busiest models</Heading>
              <BusiestModelsTable tenants={tenants} />
            </Box>
          </>
        )}
      </InfoCard>
    </section>
  );
}

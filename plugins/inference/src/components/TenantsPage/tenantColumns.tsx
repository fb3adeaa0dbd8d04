import type { TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatCount } from '../../usage/formatUsage';
import type { TenantRow } from './tenantRows';

const count = (value: number | undefined) =>
  value === undefined ? '?' : value;

/** The Tenants tab's columns: one row per tenant group. */
export const TENANT_COLUMNS: TableColumn<TenantRow>[] = [
  {
    title: 'Tenant',
    field: 'name',
    render: row => (
      <EntityRefLink entityRef={row.ref} title={row.title ?? row.name} />
    ),
  },
  { title: 'Namespace', field: 'namespace' },
  { title: 'Cluster', field: 'cluster' },
  { title: 'Namespace state', field: 'namespaceState' },
  {
    title: 'Members',
    sorting: false,
    render: row =>
      row.members.length === 0 ? (
        'None'
      ) : (
        <Box display="flex" flexWrap="wrap" gridGap={8}>
          {row.members.map(member => (
            <EntityRefLink
              key={member}
              entityRef={member}
              title={humanizeEntityRef(parseEntityRef(member), {
                defaultKind: 'user',
              })}
            />
          ))}
        </Box>
      ),
  },
  // Computed columns have no field to sort by (and no sort arrow, which keeps the table narrow).
  { title: 'Models', sorting: false, render: row => count(row.modelCount) },
  {
    title: 'Publications',
    sorting: false,
    render: row => count(row.publicationCount),
  },
];

/** Where the tenants' usage is: being read, read, or failed (the table then shows `?`). */
export type UsageColumnsState = 'loading' | 'loaded' | 'failed';

function usageCell(
  state: UsageColumnsState,
  row: TenantRow,
  what: string,
  value: (usage: NonNullable<TenantRow['usage']>) => number,
) {
  const label = `${what} of ${row.name} in the last 24 hours`;
  if (state === 'loading')
    return <span aria-label={`${label}: loading`}>…</span>;
  if (state === 'failed')
    return <span aria-label={`${label}: unknown`}>?</span>;
  if (!row.usage) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        aria-label={`${label}: none reported`}
      >
        –
      </Typography>
    );
  }
  const text = formatCount(value(row.usage));
  return <span aria-label={`${label}: ${text}`}>{text}</span>;
}

/** The usage columns of the Tenants tab: requests and tokens over the last 24 hours. */
export function tenantUsageColumns(
  state: UsageColumnsState,
): TableColumn<TenantRow>[] {
  return [
    {
      title: 'Requests (24 h)',
      sorting: false,
      render: row => usageCell(state, row, 'Requests', u => u.requests.total),
    },
    {
      title: 'Tokens (24 h)',
      sorting: false,
      render: row => usageCell(state, row, 'Tokens', u => u.tokens.total),
    },
  ];
}

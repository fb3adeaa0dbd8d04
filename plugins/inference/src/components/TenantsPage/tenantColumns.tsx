import type { TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
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
  { title: 'Models', render: row => count(row.modelCount) },
  { title: 'Publications', render: row => count(row.publicationCount) },
];

import { Table, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import type { PublicationSummary } from '@internal/backstage-plugin-inference-common';
import { formatLimits } from './formatLimits';
import { PublicationStateLabel } from './PublicationStateLabel';

const columns: TableColumn<PublicationSummary>[] = [
  { title: 'Model', field: 'model' },
  { title: 'Tenant', field: 'tenant' },
  { title: 'Public name', field: 'publicModelName' },
  { title: 'Endpoint', field: 'endpoint' },
  {
    title: 'State',
    field: 'state',
    render: p => <PublicationStateLabel publication={p} />,
  },
  { title: 'Auth', render: p => (p.auth.jwt ? 'API key + JWT' : 'API key') },
  { title: 'Limits', render: p => formatLimits(p.limits) },
  { title: 'Keys', render: p => p.apiKeys.length },
  {
    title: 'Updated',
    field: 'updatedAt',
    render: p => (p.updatedAt ? new Date(p.updatedAt).toLocaleString() : ''),
  },
];

export function PublicationsTable(props: {
  publications: PublicationSummary[];
}) {
  return (
    <Table<PublicationSummary>
      title="Publications"
      columns={columns}
      data={props.publications}
      options={{
        paging: props.publications.length > 20,
        pageSize: 20,
        search: true,
      }}
      emptyContent={<Box p={2}>No model is published yet.</Box>}
    />
  );
}

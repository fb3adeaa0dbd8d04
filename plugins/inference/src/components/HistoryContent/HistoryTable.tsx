import {
  StatusError,
  StatusOK,
  type TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { HistoryEntry } from '@inference-in-a-box/backstage-plugin-inference-common';
import { ChangeList } from '../ChangeList';
import { SearchableTable } from '../SearchableTable';
import { HISTORY_ACTION_LABELS } from './historyLabels';

const columns: TableColumn<HistoryEntry>[] = [
  {
    title: 'Time',
    field: 'at',
    defaultSort: 'desc',
    render: e => new Date(e.at).toLocaleString(),
  },
  {
    title: 'Action',
    field: 'action',
    render: e => HISTORY_ACTION_LABELS[e.action] ?? e.action,
  },
  {
    title: 'Actor',
    field: 'actor',
    render: e => (
      <>
        {e.actor.includes(':') ? (
          <EntityRefLink entityRef={e.actor} title={e.actor} />
        ) : (
          e.actor
        )}
        {/* How it arrived when not through the portal, e.g. an AI agent's action. */}
        {e.via && (
          <Typography variant="caption" display="block" color="textSecondary">
            via {e.via}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Outcome',
    field: 'outcome',
    render: e =>
      e.outcome === 'succeeded' ? (
        <StatusOK>Succeeded</StatusOK>
      ) : (
        <StatusError>Failed</StatusError>
      ),
  },
  { title: 'Summary', field: 'summary' },
  { title: 'Objects', render: e => e.changes?.length ?? 0 },
];

/** A model's publish history, newest first; a row opens to the object changes it made. */
export function HistoryTable(props: { entries: HistoryEntry[] }) {
  return (
    <SearchableTable<HistoryEntry>
      title="History"
      columns={columns}
      data={props.entries}
      detailPanel={({ rowData }) => (
        <Box px={4} py={1}>
          <ChangeList changes={rowData.changes ?? []} />
        </Box>
      )}
      emptyText="Nothing has been done to this model through the portal yet."
    />
  );
}

import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ModelCondition } from '@internal/backstage-plugin-inference-common';
import { CompactTable } from '../CompactTable';

/** Every condition of the InferenceService as the cluster reports it. */
export function ConditionsTable(props: { conditions: ModelCondition[] }) {
  const { conditions } = props;
  if (conditions.length === 0) {
    return (
      <Typography color="textSecondary">
        The cluster reports no conditions yet.
      </Typography>
    );
  }
  return (
    <CompactTable
      label="Conditions"
      headers={['Condition', 'Status', 'Reason', 'Message', 'Since']}
    >
      {conditions.map(c => (
        <TableRow key={c.type}>
          <TableCell>{c.type}</TableCell>
          <TableCell>{c.status}</TableCell>
          <TableCell>{c.reason ?? ''}</TableCell>
          <TableCell>{c.message ?? ''}</TableCell>
          <TableCell>
            {c.lastTransitionTime
              ? new Date(c.lastTransitionTime).toLocaleString()
              : ''}
          </TableCell>
        </TableRow>
      ))}
    </CompactTable>
  );
}

import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { CompactTable } from '../CompactTable';

/** A condition of a Kubernetes object's status (an InferenceService's, the Gateway's). */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Every condition of an object as the cluster reports it. */
export function ConditionsTable(props: { conditions: Condition[] }) {
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

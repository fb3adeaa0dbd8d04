import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ModelCondition } from '@internal/backstage-plugin-inference-common';

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
    <Table size="small" aria-label="Conditions">
      <TableHead>
        <TableRow>
          <TableCell>Condition</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Since</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
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
      </TableBody>
    </Table>
  );
}

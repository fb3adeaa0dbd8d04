import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { PlannedChange } from '@internal/backstage-plugin-inference-common';

/** A field value as text; `undefined` (field absent on that side) shows as an empty cell. */
function formatValue(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The changed fields of one object. Created objects show only "after", deleted only "before". */
export function FieldChangesTable(props: { change: PlannedChange }) {
  const { change } = props;
  const showBefore = change.action !== 'create';
  const showAfter = change.action !== 'delete';
  return (
    <Table size="small" aria-label={`Fields of ${change.kind} ${change.name}`}>
      <TableHead>
        <TableRow>
          <TableCell>Field</TableCell>
          {showBefore && <TableCell>Before</TableCell>}
          {showAfter && <TableCell>After</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {change.fieldChanges.map(f => (
          <TableRow key={f.path}>
            <TableCell>
              <code>{f.path}</code>
            </TableCell>
            {showBefore && (
              <TableCell>
                <code>{formatValue(f.before)}</code>
              </TableCell>
            )}
            {showAfter && (
              <TableCell>
                <code>{formatValue(f.after)}</code>
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

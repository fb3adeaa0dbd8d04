import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import type { PlannedChange } from '@internal/backstage-plugin-inference-common';
import { CompactTable } from '../CompactTable';

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
    <CompactTable
      label={`Fields of ${change.kind} ${change.name}`}
      headers={[
        'Field',
        ...(showBefore ? ['Before'] : []),
        ...(showAfter ? ['After'] : []),
      ]}
    >
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
    </CompactTable>
  );
}

import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import type { DriftedField } from '@inference-in-a-box/backstage-plugin-inference-common';
import { CompactTable } from '../CompactTable';

/** A field value as text; `undefined` (field absent on that side) shows as an empty cell. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Field changes of one object as a table of path, old and new value. `before` and `after` name
 * those columns (Before/After for a publish, Published/Live for drift); a column left out (`null`)
 * is not shown, e.g. "before" for a created object. With `showManager` a last column says who
 * made each change (a drifted field's field manager).
 */
export function FieldChangesTable(props: {
  label: string;
  fields: DriftedField[];
  before?: string | null;
  after?: string | null;
  showManager?: boolean;
}) {
  const {
    label,
    fields,
    before = 'Before',
    after = 'After',
    showManager = false,
  } = props;
  return (
    <CompactTable
      label={label}
      headers={[
        'Field',
        ...(before !== null ? [before] : []),
        ...(after !== null ? [after] : []),
        ...(showManager ? ['Changed by'] : []),
      ]}
    >
      {fields.map(f => (
        <TableRow key={f.path}>
          <TableCell>
            <code>{f.path}</code>
          </TableCell>
          {before !== null && (
            <TableCell>
              <code>{formatValue(f.before)}</code>
            </TableCell>
          )}
          {after !== null && (
            <TableCell>
              <code>{formatValue(f.after)}</code>
            </TableCell>
          )}
          {showManager && (
            <TableCell>
              {f.manager ? <code>{f.manager}</code> : <em>unknown</em>}
            </TableCell>
          )}
        </TableRow>
      ))}
    </CompactTable>
  );
}

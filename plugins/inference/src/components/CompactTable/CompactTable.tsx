import type { ReactNode } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';

/**
 * A small table of a few rows inside a card (conditions, API keys, changed fields): a header row of
 * column titles, then the caller's rows. `label` is the table's accessible name.
 */
export function CompactTable(props: {
  label: string;
  headers: string[];
  children: ReactNode;
}) {
  const { label, headers, children } = props;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          {headers.map(header => (
            <TableCell key={header}>{header}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>{children}</TableBody>
    </Table>
  );
}

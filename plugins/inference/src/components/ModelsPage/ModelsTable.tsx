import { useDeferredValue, useMemo, useState } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import { usePublicationsOf } from '../../hooks/usePublicationsOf';
import { EndpointCell } from './EndpointCell';
import { PublishedCell } from './PublishedCell';
import { ModelStatusCell } from './ModelStatusCell';
import { ModelsToolbar } from './ModelsToolbar';
import {
  filterModelRows,
  filterOptions,
  type ModelRow,
  type ModelRowFilters,
  type ModelSort,
  type ModelSortKey,
  sortModelRows,
} from './modelRows';

const SORTABLE_COLUMNS: { key: ModelSortKey; label: string }[] = [
  { key: 'displayName', label: 'Name' },
  { key: 'tenant', label: 'Tenant' },
  { key: 'framework', label: 'Framework' },
  { key: 'modelType', label: 'Type' },
  { key: 'status', label: 'Status' },
  { key: 'published', label: 'Published' },
];

const PAGE_SIZES = [25, 50, 100];

/** The column titles; each but the endpoint sorts the table, a second click reversing it. */
function SortableHeader(props: {
  sort: ModelSort;
  onSort: (key: ModelSortKey) => void;
}) {
  const { sort, onSort } = props;
  return (
    <TableHead>
      <TableRow>
        {SORTABLE_COLUMNS.map(column => (
          <TableCell
            key={column.key}
            sortDirection={sort.key === column.key ? sort.direction : false}
          >
            <TableSortLabel
              active={sort.key === column.key}
              direction={sort.key === column.key ? sort.direction : 'asc'}
              onClick={() => onSort(column.key)}
            >
              {column.label}
            </TableSortLabel>
          </TableCell>
        ))}
        <TableCell>Endpoint</TableCell>
      </TableRow>
    </TableHead>
  );
}

/**
 * The models table. Filtering and sorting are memoized pure functions over the rows and only one
 * page is rendered, so it stays responsive with thousands of models; the search text is deferred
 * so typing is never blocked by re-filtering.
 */
export function ModelsTable(props: { rows: ModelRow[] }) {
  const { rows } = props;
  const [filters, setFilters] = useState<ModelRowFilters>({ search: '' });
  const [sort, setSort] = useState<ModelSort>({
    key: 'displayName',
    direction: 'asc',
  });
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);
  const search = useDeferredValue(filters.search);

  const options = useMemo(() => filterOptions(rows), [rows]);
  const filtered = useMemo(
    () =>
      filterModelRows(rows, {
        tenant: filters.tenant,
        framework: filters.framework,
        modelType: filters.modelType,
        status: filters.status,
        search,
      }),
    [
      rows,
      filters.tenant,
      filters.framework,
      filters.modelType,
      filters.status,
      search,
    ],
  );
  const sorted = useMemo(() => sortModelRows(filtered, sort), [filtered, sort]);
  const lastPage = Math.max(0, Math.ceil(sorted.length / pageSize) - 1);
  const currentPage = Math.min(page, lastPage);
  const visible = useMemo(
    () => sorted.slice(currentPage * pageSize, (currentPage + 1) * pageSize),
    [sorted, currentPage, pageSize],
  );
  const visiblePublished = useMemo(
    () =>
      visible.flatMap(r =>
        r.published && r.locator ? [{ id: r.id, locator: r.locator }] : [],
      ),
    [visible],
  );
  const publications = usePublicationsOf(visiblePublished);

  const changeFilters = (next: ModelRowFilters) => {
    setFilters(next);
    setPage(0);
  };
  const toggleSort = (key: ModelSortKey) =>
    setSort(previous => ({
      key,
      direction:
        previous.key === key && previous.direction === 'asc' ? 'desc' : 'asc',
    }));

  return (
    <>
      <ModelsToolbar
        filters={filters}
        options={options}
        onChange={changeFilters}
      />
      <TableContainer component={Paper}>
        <Table size="small" aria-label="Models">
          <SortableHeader sort={sort} onSort={toggleSort} />
          <TableBody>
            {visible.map(row => (
              <TableRow key={row.id}>
                <TableCell>
                  {row.entityRef ? (
                    <EntityRefLink
                      entityRef={row.entityRef}
                      title={row.displayName}
                    />
                  ) : (
                    <span title="Not in the catalog">{row.displayName}</span>
                  )}
                </TableCell>
                <TableCell>{row.tenant}</TableCell>
                <TableCell>{row.framework}</TableCell>
                <TableCell>{row.modelType}</TableCell>
                <TableCell>
                  <ModelStatusCell row={row} />
                </TableCell>
                <TableCell>
                  <PublishedCell row={row} lookup={publications.get(row.id)} />
                </TableCell>
                <TableCell>
                  <EndpointCell
                    published={row.published}
                    lookup={publications.get(row.id)}
                  />
                </TableCell>
              </TableRow>
            ))}
            {visible.length === 0 && (
              <TableRow>
                <TableCell colSpan={SORTABLE_COLUMNS.length + 1}>
                  <Typography align="center" color="textSecondary">
                    {rows.length === 0
                      ? 'No models yet.'
                      : 'No models match the filters.'}
                  </Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
      <TablePagination
        component="div"
        count={sorted.length}
        page={currentPage}
        rowsPerPage={pageSize}
        rowsPerPageOptions={PAGE_SIZES}
        onPageChange={(_, next) => setPage(next)}
        onRowsPerPageChange={e => {
          setPageSize(Number(e.target.value));
          setPage(0);
        }}
      />
    </>
  );
}

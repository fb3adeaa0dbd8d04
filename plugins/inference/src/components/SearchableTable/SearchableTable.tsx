import {
  Table,
  type TableColumn,
  type TableProps,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';

const PAGE_SIZE = 20;

/**
 * The core Table as the plugin's short lists use it: a search box, pages of 20 only once there is
 * more than a page, and a sentence instead of an empty table. (The models table, which must stay
 * fast with thousands of rows, has its own.)
 */
export function SearchableTable<T extends object>(props: {
  title: string;
  columns: TableColumn<T>[];
  data: T[];
  emptyText: string;
  detailPanel?: TableProps<T>['detailPanel'];
}) {
  const { title, columns, data, emptyText, detailPanel } = props;
  return (
    <Table<T>
      title={title}
      columns={columns}
      data={data}
      options={{
        paging: data.length > PAGE_SIZE,
        pageSize: PAGE_SIZE,
        search: true,
      }}
      detailPanel={detailPanel}
      emptyContent={<Box p={2}>{emptyText}</Box>}
    />
  );
}

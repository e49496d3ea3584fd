import type { ReactNode } from 'react';
import { ErrorNote } from './ErrorNote.tsx';
import { Pagination } from './Pagination.tsx';

export interface ListColumn {
  label: string;
  /** Right-aligned, for amounts and quantities. */
  numeric?: boolean;
}

interface ListTableProps<Row> {
  columns: readonly ListColumn[];
  rows: readonly Row[];
  /** One `<tr>` per row. */
  renderRow: (row: Row) => ReactNode;
  /** Shown once the list has loaded and came back empty; not while it is loading. */
  empty: ReactNode;
  loaded: boolean;
  error: unknown;
  paging: { page: number; limit: number; setPage: (page: number) => void };
  /** All matching rows, when the server counts them. */
  total?: number;
}

/**
 * The body of every paged list page: its error, its empty state, its table and its pages,
 * so that each list announces failure and emptiness the same way.
 */
export function ListTable<Row>({
  columns,
  rows,
  renderRow,
  empty,
  loaded,
  error,
  paging,
  total,
}: ListTableProps<Row>) {
  return (
    <>
      <ErrorNote error={error} />
      {loaded && rows.length === 0 && empty}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.label} scope="col" className={column.numeric ? 'num' : undefined}>
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{rows.map(renderRow)}</tbody>
          </table>
        </div>
      )}
      <Pagination
        page={paging.page}
        pageSize={paging.limit}
        count={rows.length}
        total={total}
        onPage={paging.setPage}
      />
    </>
  );
}

import type { ReactNode } from 'react';

export interface Column<Row> {
  key: string;
  header: string;
  cell: (row: Row) => ReactNode;
  /** Right-aligned numbers, narrow action cells… */
  className?: string;
}

/**
 * A table on a desktop, a stack of cards on a phone: each cell carries its header in data-label,
 * which the narrow layout prints beside the value.
 */
export function DataTable<Row extends { id: string }>({
  columns,
  rows,
  empty,
  testId,
}: {
  columns: Column<Row>[];
  rows: Row[];
  empty: string;
  testId?: string;
}) {
  if (rows.length === 0) {
    return (
      <div className="empty" data-testid={testId ? `${testId}-empty` : undefined}>
        {empty}
      </div>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} className={column.className} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-row-id={row.id}>
              {columns.map((column) => (
                <td key={column.key} className={column.className} data-label={column.header}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { ColumnDef, TableDef } from './table-defs.ts';

/** The column written nowhere: a restore sets it to the target organization. */
export const TENANT_COLUMN = 'tenant_id';

/** The columns a row of this table carries in an archive: all but tenant_id, in order. */
export function rowColumns(table: Pick<TableDef, 'columns'>): ColumnDef[] {
  return table.columns.filter((c) => c.name !== TENANT_COLUMN);
}

import type { Row } from '../row-validator.ts';
import type { TableDef } from '../table-defs.ts';

/**
 * One schema change, replayed on an archive of the schema version before it: it rewrites the
 * column definitions and every row exactly as the migration did to the live database.
 */
export interface UpgradeStep {
  readonly from: number;
  readonly to: number;
  readonly description: string;
  upgradeTables(tables: readonly TableDef[]): TableDef[];
  /** Returns the row of schema `to`; it may return the same object when the table did not change. */
  upgradeRow(table: string, row: Row): Row;
}

import { createHash } from 'node:crypto';
import { type Db, TENANT_TABLES, catalogColumns } from '@hisaabo/db';

/** A column as the live database defines it: `type` is PostgreSQL's format_type(). */
export interface ColumnDef {
  name: string;
  type: string;
  notNull: boolean;
}

export interface TableDef {
  name: string;
  columns: ColumnDef[];
  /** Columns never written (always null in rows), with the reason shown to users. */
  redacted?: Record<string, string>;
}

/**
 * Every organization table in registry (load) order, with its columns read from the live catalog,
 * so the archive describes what the database really holds rather than what the code believes.
 */
export async function liveTableDefs(db: Db): Promise<TableDef[]> {
  const columns = await catalogColumns(db);
  return TENANT_TABLES.map((spec) => {
    const own = columns
      .filter((c) => c.table === spec.name)
      .sort((a, b) => a.position - b.position)
      .map((c) => ({ name: c.name, type: c.type, notNull: Boolean(c.notNull) }));
    if (own.length === 0) throw new Error(`table ${spec.name} is in the registry but not in the database`);
    const def: TableDef = { name: spec.name, columns: own };
    if (spec.redacted && Object.keys(spec.redacted).length > 0) def.redacted = { ...spec.redacted };
    return def;
  });
}

/** "sha256:<hex>" over one `<table>\t<column>\t<type>\t<not null|null>\n` line per column. */
export function schemaChecksum(tables: readonly Pick<TableDef, 'name' | 'columns'>[]): string {
  const hash = createHash('sha256');
  for (const table of tables) {
    for (const column of table.columns) {
      hash.update(`${table.name}\t${column.name}\t${column.type}\t${column.notNull ? 'not null' : 'null'}\n`);
    }
  }
  return `sha256:${hash.digest('hex')}`;
}

export { TENANT_COLUMN, rowColumns } from './table-columns.ts';

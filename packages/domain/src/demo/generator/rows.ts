import type { CopyValue } from '@hisaabo/db';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { BulkWriter } from '../bulk-writer.ts';

/** A row as the schema types it: the same object the typed API would insert. */
export type InsertRow<T extends PgTable> = T['$inferInsert'];

/**
 * Rows waiting for COPY, kept as objects typed by the Drizzle schema (so a renamed or retyped column
 * fails to compile here) and turned into COPY lines only when a table is flushed. Every row of a
 * table carries the same keys, in the same order; the columns are read from the first row.
 */
export class PendingRows {
  private readonly pending = new Map<PgTable, Record<string, unknown>[]>();
  /** Rows written so far, by table name, in the order the tables were first written. */
  readonly counts: Record<string, number> = {};

  constructor(private readonly writer: BulkWriter) {}

  push<T extends PgTable>(table: T, row: InsertRow<T>): void {
    const rows = this.pending.get(table);
    if (rows) rows.push(row);
    else this.pending.set(table, [row]);
  }

  /** Loads what is pending for these tables, in this order (parents before children). */
  async flush(tables: readonly PgTable[]): Promise<void> {
    for (const table of tables) {
      const rows = this.pending.get(table);
      if (!rows?.length) continue;
      const name = getTableName(table);
      const byKey = getTableColumns(table);
      const keys = Object.keys(rows[0]!);
      const lines = rows.map((row) => {
        if (Object.keys(row).length !== keys.length)
          throw new Error(`${name}: every row needs the same keys`);
        return keys.map((key) => (row[key] ?? null) as CopyValue);
      });
      const columns = keys.map((key) => {
        const column = byKey[key];
        if (!column) throw new Error(`${name} has no column ${key}`);
        return column.name;
      });
      await this.writer.copy(name, columns, lines);
      this.counts[name] = (this.counts[name] ?? 0) + rows.length;
      this.pending.set(table, []);
    }
  }
}

import { TENANT_TABLES } from '@hisaabo/db';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { type BackupIssue, issue } from './errors.ts';
import type { Row } from './row-validator.ts';
import { TENANT_COLUMN } from './table-defs.ts';

interface ForeignKey {
  column: string;
  refTable: string;
}

/**
 * Foreign keys between organization tables, from the schema (tenant_id is implied: same archive).
 * Built for each checker rather than at import, so that a fault in building them fails a verify,
 * which a test sees, rather than the module's load.
 */
export function foreignKeysByTable(): ReadonlyMap<string, readonly ForeignKey[]> {
  return new Map(
    TENANT_TABLES.map((spec) => [
      spec.name,
      getTableConfig(spec.table).foreignKeys.flatMap((fk) => {
        const ref = fk.reference();
        const refTable = getTableConfig(ref.foreignTable).name;
        return ref.columns
          .map((c, i) => ({ column: c.name, target: ref.foreignColumns[i]?.name }))
          .filter((pair) => pair.column !== TENANT_COLUMN && pair.target === 'id')
          .map((pair) => ({ column: pair.column, refTable }));
      }),
    ]),
  );
}

/**
 * Checks inside an archive that every id is unique in its table and every foreign key resolves to a
 * row of the archive. Parents come before children (registry order), so a reference is checked when
 * its row is read; self-references are checked once their table is complete.
 */
export class ReferenceChecker {
  private readonly foreignKeys = foreignKeysByTable();
  private readonly referenced = new Set(
    [...this.foreignKeys.values()].flatMap((fks) => fks.map((fk) => fk.refTable)),
  );
  private readonly ids = new Map<string, Set<string>>();
  private deferred: { column: string; value: string; line: number }[] = [];
  readonly issues: BackupIssue[] = [];

  startTable(table: string): void {
    this.ids.set(table, new Set());
    this.deferred = [];
  }

  row(table: string, row: Row, line: number): void {
    const id = row.id as string;
    const ids = this.ids.get(table)!;
    if (ids.has(id)) this.issues.push(issue(`duplicate id ${id}`, { table, line, column: 'id' }));
    // Every table's ids are kept while it is read (duplicates); only referenced ones after it.
    ids.add(id);
    for (const fk of this.foreignKeys.get(table) ?? []) {
      const value = row[fk.column];
      if (typeof value !== 'string') continue;
      if (fk.refTable === table) {
        this.deferred.push({ column: fk.column, value, line });
      } else if (!this.ids.get(fk.refTable)?.has(value)) {
        this.issues.push(
          issue(`refers to ${fk.refTable} ${value}, which is not in the archive`, {
            table,
            line,
            column: fk.column,
          }),
        );
      }
    }
  }

  endTable(table: string): void {
    const ids = this.ids.get(table)!;
    for (const ref of this.deferred) {
      if (!ids.has(ref.value)) {
        this.issues.push(
          issue(`refers to ${table} ${ref.value}, which is not in the archive`, {
            table,
            line: ref.line,
            column: ref.column,
          }),
        );
      }
    }
    this.deferred = [];
    if (!this.referenced.has(table)) this.ids.delete(table);
  }
}

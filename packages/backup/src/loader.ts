import { type CopyIn, type Session, TENANT_TABLES } from '@hisaabo/db';
import { quoteIdentifier as quote } from './encode.ts';
import type { BatchOutcome } from './line-work.ts';
import { type TableDef, TENANT_COLUMN, rowColumns } from './table-defs.ts';

/** Self-references are set this many rows per statement. */
const REFERENCE_BATCH_ROWS = 5000;

/**
 * Inserts one table's rows with COPY (text format), each batch written as soon as it is encoded
 * (row-encoder.ts): PostgreSQL parses each field with its column's own input function (exact
 * decimals and instants, no JavaScript conversion), and COPY is the cheapest way in (about half the
 * database time of an INSERT from json_to_recordset, whose JSON parsing dominated). When foreign
 * keys are checked at commit, self-references are in the COPY text; otherwise they come loaded as
 * null with their (id, target) pairs, set here in a second pass once every row of the table exists.
 */
export class TableLoader {
  /** Per self-referencing column (RowEncoder order): id, target, id, target, … */
  private readonly references: string[][];
  private readonly selfReferences: readonly string[];
  private readonly copy: CopyIn;
  /** Rows handed to the database so far (all of them are in it once finish() resolves). */
  inserted = 0;

  constructor(
    private readonly session: Session,
    private readonly tenantId: string,
    private readonly table: TableDef,
  ) {
    this.selfReferences = TENANT_TABLES.find((t) => t.name === table.name)?.selfReferences ?? [];
    this.references = this.selfReferences.map(() => []);
    this.copy = session.copyIn(
      `${quote(table.name)} (${[TENANT_COLUMN, ...rowColumns(table).map((c) => c.name)].map(quote).join(', ')})`,
    );
  }

  add(batch: BatchOutcome): Promise<void> | undefined {
    batch.references.forEach((pairs, i) => {
      const kept = this.references[i]!;
      for (const value of pairs) kept.push(value);
    });
    this.inserted += batch.rows;
    return batch.copy ? this.copy.write(batch.copy) : undefined;
  }

  async finish(): Promise<void> {
    await this.copy.end();
    for (const [i, column] of this.selfReferences.entries()) {
      const flat = this.references[i]!;
      for (let start = 0; start < flat.length; start += 2 * REFERENCE_BATCH_ROWS) {
        const slice: { id: string; ref: string }[] = [];
        const end = Math.min(flat.length, start + 2 * REFERENCE_BATCH_ROWS);
        for (let j = start; j < end; j += 2) slice.push({ id: flat[j]!, ref: flat[j + 1]! });
        await this.session.query(
          `UPDATE ${quote(this.table.name)} AS t SET ${quote(column)} = v.ref ` +
            `FROM json_to_recordset($2::json) AS v(id uuid, ref uuid) ` +
            `WHERE t.${quote(TENANT_COLUMN)} = $1::uuid AND t.id = v.id`,
          [this.tenantId, JSON.stringify(slice)],
        );
      }
      flat.length = 0;
    }
  }

  /** Gives the table's COPY up after a failure elsewhere, so the transaction can roll back. */
  abort(): Promise<void> {
    return this.copy.abort();
  }
}

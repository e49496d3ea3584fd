import {
  type CopyIn,
  type CopyValue,
  type Session,
  TENANT_TABLES,
  copyField,
  escapeCopyText,
} from '@hisaabo/db';
import { quoteIdentifier as quote } from './encode.ts';
import type { Row } from './row-validator.ts';
import { type TableDef, TENANT_COLUMN, rowColumns } from './table-defs.ts';

/** Self-references are set this many rows per statement. */
const REFERENCE_BATCH_ROWS = 5000;

/**
 * Inserts one table's rows with COPY (text format), each row written as soon as it is read:
 * PostgreSQL parses each field with its column's own input function (exact decimals and instants, no
 * JavaScript conversion), and COPY is the cheapest way in (about half the database time of an INSERT
 * from json_to_recordset, whose JSON parsing dominated). Self-references are loaded as null and set
 * in a second pass, once every row of the table exists.
 */
export class TableLoader {
  private readonly selfReferences: string[];
  private readonly pendingReferences: Map<string, [string, string][]> = new Map();
  private readonly fields: { name: string; encode: (value: unknown) => string }[];
  private readonly copy: CopyIn;
  /** Rows handed to the database so far (all of them are in it once finish() resolves). */
  inserted = 0;

  constructor(
    private readonly session: Session,
    private readonly tenantId: string,
    private readonly table: TableDef,
  ) {
    const columns = rowColumns(table);
    this.selfReferences = [...(TENANT_TABLES.find((t) => t.name === table.name)?.selfReferences ?? [])];
    for (const column of this.selfReferences) this.pendingReferences.set(column, []);
    this.fields = columns.map((c) => ({ name: c.name, encode: fieldEncoder(c.type) }));
    this.copy = session.copyIn(
      `${quote(table.name)} (${[TENANT_COLUMN, ...columns.map((c) => c.name)].map(quote).join(', ')})`,
    );
  }

  add(row: Row): Promise<void> | undefined {
    for (const column of this.selfReferences) {
      const target = row[column];
      if (typeof target === 'string') {
        this.pendingReferences.get(column)!.push([row.id as string, target]);
        row[column] = null;
      }
    }
    let line = this.tenantId;
    for (const field of this.fields) line += `\t${field.encode(row[field.name])}`;
    this.inserted += 1;
    return this.copy.write(`${line}\n`);
  }

  async finish(): Promise<void> {
    await this.copy.end();
    for (const [column, pairs] of this.pendingReferences) {
      for (let start = 0; start < pairs.length; start += REFERENCE_BATCH_ROWS) {
        const slice = pairs.slice(start, start + REFERENCE_BATCH_ROWS).map(([id, ref]) => ({ id, ref }));
        await this.session.query(
          `UPDATE ${quote(this.table.name)} AS t SET ${quote(column)} = v.ref ` +
            `FROM json_to_recordset($2::json) AS v(id uuid, ref uuid) ` +
            `WHERE t.${quote(TENANT_COLUMN)} = $1::uuid AND t.id = v.id`,
          [this.tenantId, JSON.stringify(slice)],
        );
      }
    }
    this.pendingReferences.clear();
  }

  /** Gives the table's COPY up after a failure elsewhere, so the transaction can roll back. */
  abort(): Promise<void> {
    return this.copy.abort();
  }
}

/** How a validated archive value becomes a COPY field for a column of this type. */
function fieldEncoder(type: string): (value: unknown) => string {
  if (type === 'json' || type === 'jsonb') {
    // Always JSON text: a JSON string or boolean must not reach COPY bare.
    return (value) => (value === null ? '\\N' : escapeCopyText(JSON.stringify(value)));
  }
  if (type === 'bytea') {
    return (value) =>
      value === null
        ? '\\N'
        : escapeCopyText(`\\x${Buffer.from((value as { base64: string }).base64, 'base64').toString('hex')}`);
  }
  return (value) => copyField(value as CopyValue);
}

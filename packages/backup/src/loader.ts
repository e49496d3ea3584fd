import { type CopyValue, TENANT_TABLES, copyField, escapeCopyText } from '@hisaabo/db';
import { quoteIdentifier as quote } from './encode.ts';
import type { Row } from './row-validator.ts';
import type { Session } from './session.ts';
import { type TableDef, TENANT_COLUMN, rowColumns } from './table-defs.ts';

/** A batch is sent once it holds this many bytes or this many rows, whichever comes first. */
const BATCH_BYTES = 2 * 1024 * 1024;
const BATCH_ROWS = 5000;

/**
 * Inserts one table's rows in batches with COPY (text format): PostgreSQL parses each field with its
 * column's own input function (exact decimals and instants, no JavaScript conversion), and COPY is
 * the cheapest way in (about half the database time of an INSERT from json_to_recordset, whose JSON
 * parsing dominated). Self-references are loaded as null and set in a second pass, once every row
 * of the table exists.
 */
export class TableLoader {
  private batch: string[] = [];
  private batchBytes = 0;
  private readonly selfReferences: string[];
  private readonly pendingReferences: Map<string, [string, string][]> = new Map();
  private readonly fields: { name: string; encode: (value: unknown) => string }[];
  private readonly copyTarget: string;
  inserted = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly session: Session,
    private readonly tenantId: string,
    private readonly table: TableDef,
  ) {
    const columns = rowColumns(table);
    this.selfReferences = [...(TENANT_TABLES.find((t) => t.name === table.name)?.selfReferences ?? [])];
    for (const column of this.selfReferences) this.pendingReferences.set(column, []);
    this.fields = columns.map((c) => ({ name: c.name, encode: fieldEncoder(c.type) }));
    this.copyTarget = `${quote(table.name)} (${[TENANT_COLUMN, ...columns.map((c) => c.name)].map(quote).join(', ')})`;
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
    line += '\n';
    this.batch.push(line);
    this.batchBytes += line.length;
    if (this.batchBytes >= BATCH_BYTES || this.batch.length >= BATCH_ROWS) return this.flush();
    return undefined;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.drain();
    for (const [column, pairs] of this.pendingReferences) {
      for (let start = 0; start < pairs.length; start += BATCH_ROWS) {
        const slice = pairs.slice(start, start + BATCH_ROWS).map(([id, ref]) => ({ id, ref }));
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

  /**
   * Sends the batch without waiting for it, so the next batch is read and validated while the
   * database inserts this one. At most one batch is in the database at a time (bounded memory).
   */
  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const payload = this.batch.join('');
    const count = this.batch.length;
    this.batch = [];
    this.batchBytes = 0;
    await this.drain();
    const sent = this.session.copyIn(this.copyTarget, payload).then(() => {
      this.inserted += count;
    });
    // Awaited by the next flush or by finish(); a failure must not surface as unhandled meanwhile.
    sent.catch(() => {});
    this.inFlight = sent;
  }

  /** Waits for the batch in the database, if any; its failure is thrown here. */
  private async drain(): Promise<void> {
    const inFlight = this.inFlight;
    this.inFlight = null;
    if (inFlight) await inFlight;
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

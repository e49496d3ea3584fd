import { type CopyValue, copyField, escapeCopyText } from '@hisaabo/db/values';
import type { Row } from './row-checks.ts';
import { rowColumns } from './table-columns.ts';
import type { TableDef } from './table-defs.ts';

type FieldEncoder = (value: unknown) => string;

/**
 * Turns validated rows of one table into COPY text lines (`tenant_id` first, then the archive's
 * columns). Self-references are written as null and handed back as (id, target) pairs: the loader
 * sets them in a second pass, once every row of the table exists.
 */
export class RowEncoder {
  /** Names of the self-referencing columns, in the order of `references` below. */
  readonly selfReferences: readonly string[];
  private readonly names: string[];
  private readonly encoders: FieldEncoder[];
  private readonly prefix: string;
  private readonly selfReferenceIndexes: number[];
  private readonly idIndex: number;

  constructor(table: TableDef, tenantId: string, selfReferences: readonly string[]) {
    const columns = rowColumns(table);
    this.selfReferences = selfReferences;
    this.names = columns.map((c) => c.name);
    this.encoders = columns.map((c) => fieldEncoder(c.type));
    this.prefix = tenantId;
    this.selfReferenceIndexes = selfReferences.map((name) => this.names.indexOf(name));
    this.idIndex = this.names.indexOf('id');
  }

  /** One COPY line, `\n` included; self-references go to `references` instead of the line. */
  encode(row: Row, references: string[][]): string {
    const values = new Array<unknown>(this.names.length);
    for (let i = 0; i < values.length; i++) values[i] = row[this.names[i]!];
    return this.encodeValues(values, references);
  }

  /** The same, from the row's values in column order (`rowColumns`); held-back ones become null in `values`. */
  encodeValues(values: unknown[], references: string[][]): string {
    for (let i = 0; i < this.selfReferenceIndexes.length; i++) {
      const index = this.selfReferenceIndexes[i]!;
      const target = values[index];
      if (typeof target === 'string') {
        references[i]!.push(values[this.idIndex] as string, target);
        values[index] = null;
      }
    }
    let line = this.prefix;
    const encoders = this.encoders;
    for (let i = 0; i < encoders.length; i++) line += `\t${encoders[i]!(values[i])}`;
    return `${line}\n`;
  }
}

const NULL_FIELD = '\\N';

/**
 * How a validated archive value becomes a COPY field for a column of this type. The validator has
 * already proven the shape, so types whose valid values can hold no tab, newline or backslash (uuid,
 * numeric, dates, instants, bigint) go through as they are.
 */
function fieldEncoder(type: string): FieldEncoder {
  if (type === 'json' || type === 'jsonb') {
    // Always JSON text: a JSON string or boolean must not reach COPY bare.
    return (value) => (value === null ? NULL_FIELD : escapeCopyText(JSON.stringify(value)));
  }
  if (type === 'bytea') {
    return (value) =>
      value === null
        ? NULL_FIELD
        : escapeCopyText(`\\x${Buffer.from((value as { base64: string }).base64, 'base64').toString('hex')}`);
  }
  if (
    type === 'uuid' ||
    type === 'date' ||
    type === 'bigint' ||
    type.startsWith('numeric') ||
    /^timestamp(\(\d\))? with time zone$/.test(type)
  ) {
    return (value) => (value === null ? NULL_FIELD : (value as string));
  }
  if (type === 'boolean') return (value) => (value === null ? NULL_FIELD : value ? 't' : 'f');
  if (type === 'smallint' || type === 'integer') {
    return (value) => (value === null ? NULL_FIELD : String(value));
  }
  return (value) => copyField(value as CopyValue);
}

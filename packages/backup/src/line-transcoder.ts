import { type Check, type EnumValues, columnChecks } from './row-checks.ts';
import type { RowEncoder } from './row-encoder.ts';
import { rowColumns } from './table-columns.ts';
import type { ColumnDef, TableDef } from './table-defs.ts';

// The restore's fast path: an archive line in exactly the exporter's shape (its keys in column order,
// no whitespace, strings without escapes) is matched by one regular expression per table, and its
// captures become the row's values without building an object per row. Every value still passes the
// very predicate and encoder the long way uses (row-checks.ts, row-encoder.ts), so a line this path
// accepts gives the bytes JSON.parse would have given; a line it does not take (another shape, an
// escape, an invalid value) goes the long way, which reads any valid JSON and names each problem.

/** A JSON string without escapes or control characters: its text is its value. */
const PLAIN_STRING = '"([^"\\\\\\u0000-\\u001f]*)"';
/** A JSON integer as the exporter writes it: no fraction, exponent, leading zero or minus zero. */
const PLAIN_INTEGER = '(0|-?[1-9][0-9]{0,9})';
/** Any text up to the next key: JSON.parse decides whether it is one JSON value. */
const JSON_TEXT = '([^\\n]+?)';

type Reader = (capture: string | undefined) => unknown;

/** How a capture becomes the value JSON.parse would have given the column. */
interface ColumnShape {
  pattern: string;
  read: Reader;
}

const asString: Reader = (capture) => (capture === undefined ? null : capture);
const asNumber: Reader = (capture) => (capture === undefined ? null : Number(capture));
const asBoolean: Reader = (capture) => (capture === undefined ? null : capture === 'true');
/** Not one JSON value: undefined, which every column's predicate refuses. */
const asJson: Reader = (capture) => {
  try {
    return JSON.parse(capture!);
  } catch {
    return undefined;
  }
};

function shape(column: ColumnDef): ColumnShape {
  const type = column.type;
  if (type === 'json' || type === 'jsonb') return { pattern: JSON_TEXT, read: asJson };
  let value: ColumnShape;
  if (type === 'smallint' || type === 'integer') value = { pattern: PLAIN_INTEGER, read: asNumber };
  else if (type === 'boolean') value = { pattern: '(true|false)', read: asBoolean };
  // bytea too: its archive value is an object, which this does not match (the long way reads it),
  // and a string in its place fails its predicate.
  else value = { pattern: PLAIN_STRING, read: asString };
  return { pattern: `(?:null|${value.pattern})`, read: value.read };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class LineTranscoder {
  private readonly line: RegExp;
  private readonly readers: Reader[];
  private readonly checks: Check[];
  private readonly values: unknown[];

  constructor(
    table: TableDef,
    enumValues: EnumValues,
    private readonly encoder: RowEncoder,
  ) {
    const columns = rowColumns(table);
    const shapes = columns.map(shape);
    const body = columns
      .map((c, i) => `${i === 0 ? '\\{' : ','}${escapeRegExp(JSON.stringify(c.name))}:${shapes[i]!.pattern}`)
      .join('');
    this.line = new RegExp(`${body}\\}\\n`, 'y');
    this.readers = shapes.map((s) => s.read);
    this.checks = columnChecks(table, enumValues);
    this.values = new Array(columns.length);
  }

  /**
   * The COPY line of the archive line starting at `start` (and ending with a \n), its
   * self-references pushed to `references`; or null when the line must go the long way.
   */
  transcode(text: string, start: number, references: string[][]): string | null {
    // The match cannot run past this line's \n: no value pattern takes a \n, and the last is `}\n`.
    this.line.lastIndex = start;
    const match = this.line.exec(text);
    if (match === null) return null;
    const values = this.values;
    for (let i = 0; i < values.length; i++) {
      const value = this.readers[i]!(match[i + 1]);
      if (!this.checks[i]!(value)) return null;
      values[i] = value;
    }
    return this.encoder.encodeValues(values, references);
  }
}

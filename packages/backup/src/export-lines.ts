import type { Session } from '@hisaabo/db';
import { selectLinesSql } from './encode.ts';
import type { TableDef } from './table-defs.ts';

// Where a table's NDJSON lines come from. Each source yields buffers of whole lines (every one
// ending in \n), never an empty one; how they are cut into archive entries is the chunk writer's job.

export interface LineSourceOptions {
  signal?: AbortSignal;
  /** Cursor only: at most this many rows per fetch. */
  fetchRows: number;
}

/** The source this session can give: raw COPY bytes on PostgreSQL, a cursor on PGlite. */
export function tableLines(
  session: Session,
  table: TableDef,
  tenant: string,
  options: LineSourceOptions,
): AsyncIterable<Buffer> {
  return session.copyOut
    ? copyLines(session.copyOut.bind(session), table, tenant, options.signal)
    : cursorLines(session, table, tenant, options);
}

/**
 * PostgreSQL: the lines come as raw bytes from COPY, no row objects. CSV with a delimiter and a
 * quote character that JSON text never holds unescaped (control characters are \u-escaped and
 * row_to_json puts no raw newline in a line) prints each line exactly as it is.
 */
async function* copyLines(
  copyOut: NonNullable<Session['copyOut']>,
  table: TableDef,
  tenant: string,
  signal: AbortSignal | undefined,
): AsyncIterable<Buffer> {
  const copy = copyOut(
    `COPY (${selectLinesSql(table, tenant)}) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`,
  );
  let carry: Buffer | null = null;
  for await (const data of copy as AsyncIterable<Buffer>) {
    if (signal?.aborted) throw new Error('export aborted');
    const buf: Buffer = carry ? Buffer.concat([carry, data]) : data;
    const lastNewline = buf.lastIndexOf(10);
    if (lastNewline < 0) {
      carry = buf;
      continue;
    }
    carry = lastNewline + 1 < buf.length ? buf.subarray(lastNewline + 1) : null;
    yield buf.subarray(0, lastNewline + 1);
  }
  if (carry) throw new Error(`export of ${table.name}: the last line has no newline`);
}

const FIRST_FETCH_ROWS = 100;
// A fetch holds all its rows in the JavaScript heap at once, and a row count says nothing of their
// size (a note or a logo can weigh 64 KB): each table starts with a small fetch, then asks for as
// many rows as make about FETCH_TARGET_BYTES at the line size seen so far.
const FETCH_TARGET_BYTES = 1024 * 1024;

/** Rows for the next fetch: about FETCH_TARGET_BYTES at `lineBytes` a line, from 1 to `maxRows`. */
export function nextFetchRows(lineBytes: number, maxRows: number): number {
  const wanted = lineBytes > 0 ? Math.floor(FETCH_TARGET_BYTES / lineBytes) : FIRST_FETCH_ROWS;
  return Math.max(1, Math.min(Math.floor(maxRows), wanted));
}

/** PGlite: one line per row, fetched from a cursor in batches sized by the lines seen so far. */
async function* cursorLines(
  session: Session,
  table: TableDef,
  tenant: string,
  options: LineSourceOptions,
): AsyncIterable<Buffer> {
  const cursor = `backup_${table.name}`;
  await session.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${selectLinesSql(table, tenant)}`);
  let tableRows = 0;
  let tableBytes = 0;
  let fetchRows = nextFetchRows(0, options.fetchRows);
  for (;;) {
    if (options.signal?.aborted) throw new Error('export aborted');
    const rows = await session.query<{ line: string }>(`FETCH FORWARD ${fetchRows} FROM ${cursor}`);
    if (rows.length === 0) break;
    let text = '';
    for (const { line } of rows) text += `${line}\n`;
    const batch = Buffer.from(text);
    tableRows += rows.length;
    tableBytes += batch.length;
    yield batch;
    if (rows.length < fetchRows) break;
    // The larger of the table's and this batch's averages: a run of larger rows shrinks the next
    // fetch at once, and a run of small ones grows it only as far as the table's average allows.
    fetchRows = nextFetchRows(
      Math.max(tableBytes / tableRows, batch.length / rows.length),
      options.fetchRows,
    );
  }
  await session.query(`CLOSE ${cursor}`);
}

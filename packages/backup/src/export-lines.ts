import type { Session } from '@hisaabo/db';
import { selectLinesSql, uuidLiteral } from './encode.ts';
import type { TableDef } from './table-defs.ts';

// Where a table's NDJSON lines come from. Each source yields buffers of whole lines (every one
// ending in \n), never an empty one; how they are cut into archive entries is the chunk writer's job.

export interface LineSourceOptions {
  signal?: AbortSignal;
  /** PGlite only: at most this many rows per page. */
  fetchRows: number;
}

/** The lines as raw COPY bytes: streamed on PostgreSQL, a page of rows at a time on PGlite. */
export function tableLines(
  session: Session,
  table: TableDef,
  tenant: string,
  options: LineSourceOptions,
): AsyncIterable<Buffer> {
  if (session.copyOut) return copyLines(session.copyOut.bind(session), table, tenant, options.signal);
  if (session.copyToBytes) return pagedCopyLines(session.copyToBytes.bind(session), table, tenant, options);
  throw new Error(`a ${session.kind} session can copy no rows out`);
}

/** COPY options under which each line is printed exactly as it is (see copyLines). */
const LINES_AS_THEY_ARE = `WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`;

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
  const copy = copyOut(`COPY (${selectLinesSql(table, tenant)}) TO STDOUT ${LINES_AS_THEY_ARE}`);
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
// A page's bytes are held whole, and a row count says nothing of their size (a note or a logo can
// weigh 64 KB): each table starts with a small page, then asks for as many rows as make about
// FETCH_TARGET_BYTES at the line size seen so far.
const FETCH_TARGET_BYTES = 1024 * 1024;

/** Rows for the next page: about FETCH_TARGET_BYTES at `lineBytes` a line, from 1 to `maxRows`. */
export function nextFetchRows(lineBytes: number, maxRows: number): number {
  const wanted = lineBytes > 0 ? Math.floor(FETCH_TARGET_BYTES / lineBytes) : FIRST_FETCH_ROWS;
  return Math.max(1, Math.min(Math.floor(maxRows), wanted));
}

/**
 * PGlite: each page of rows (after the last id of the one before, sized by the lines seen so far) is
 * a COPY into PGlite's /dev/blob device, whose bytes come back whole: no string per row, as a cursor
 * would give. Every page reads the export's one snapshot, so the pages join up exactly.
 */
async function* pagedCopyLines(
  copyToBytes: NonNullable<Session['copyToBytes']>,
  table: TableDef,
  tenant: string,
  options: LineSourceOptions,
): AsyncIterable<Buffer> {
  let after: string | null = null;
  let tableRows = 0;
  let tableBytes = 0;
  let pageRows = nextFetchRows(0, options.fetchRows);
  for (;;) {
    if (options.signal?.aborted) throw new Error('export aborted');
    const page = { afterIdLiteral: after && uuidLiteral(after), rows: pageRows };
    const bytes = await copyToBytes(
      `COPY (${selectLinesSql(table, tenant, page)}) TO '/dev/blob' ${LINES_AS_THEY_ARE}`,
    );
    if (bytes.length === 0) break;
    const rows = countLines(bytes);
    tableRows += rows;
    tableBytes += bytes.length;
    yield bytes;
    if (rows < pageRows) break;
    after = lastLineId(bytes);
    pageRows = nextFetchRows(Math.max(tableBytes / tableRows, bytes.length / rows), options.fetchRows);
  }
}

function countLines(bytes: Buffer): number {
  let lines = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) lines += 1;
  return lines;
}

/** The id of the last line of a page (every line is a row object with its id). */
function lastLineId(bytes: Buffer): string {
  const start = bytes.lastIndexOf(10, bytes.length - 2) + 1;
  return (JSON.parse(bytes.subarray(start).toString('utf8')) as { id: string }).id;
}

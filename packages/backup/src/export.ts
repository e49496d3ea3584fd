import { createHash } from 'node:crypto';
import { type Readable, finished, pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { type Database, type Session, inTransaction } from '@hisaabo/db';
import tar from 'tar-stream';
import { APP_VERSION } from './app-version.ts';
import { selectLinesSql, uuidLiteral } from './encode.ts';
import { BackupError } from './errors.ts';
import { HashTap } from './hash-tap.ts';
import {
  type ArchiveIndex,
  FORMAT,
  FORMAT_VERSION,
  INDEX_ENTRY,
  MANIFEST_ENTRY,
  type Manifest,
  chunkEntryName,
} from './manifest.ts';
import { CURRENT_SCHEMA_VERSION } from './schema-versions.ts';
import { type TableDef, liveTableDefs, schemaChecksum } from './table-defs.ts';

export interface ExportOptions {
  appVersion?: string;
  instanceId?: string;
  onProgress?: (progress: { table: string; rows: number; bytes: number }) => void;
  signal?: AbortSignal;
  /** A table entry is split after this many bytes (bounded memory: see docs/backup-format.md). */
  chunkBytes?: number;
  /**
   * PGlite: at most this many rows fetched from the cursor per round trip (default 5000). Fewer are
   * fetched when the table's lines are large: see FETCH_TARGET_BYTES.
   */
  fetchRows?: number;
}

export interface TableSummary {
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExportSummary {
  tables: Record<string, TableSummary>;
  totalRows: number;
  /** Size of the .tar.gz. */
  bytes: number;
  /** SHA-256 of the .tar.gz. */
  sha256: string;
  durationMs: number;
}

export interface ExportHandle {
  /** The .tar.gz bytes; the first ones leave as soon as the manifest is written. */
  stream: Readable;
  done: Promise<ExportSummary>;
}

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
const DEFAULT_FETCH_ROWS = 5000;
// A fetch holds all its rows in the JavaScript heap at once, and a row count says nothing of their
// size (a note or a logo can weigh 64 KB): each table starts with a small fetch, then asks for as
// many rows as make about FETCH_TARGET_BYTES at the line size seen so far.
const FIRST_FETCH_ROWS = 100;
const FETCH_TARGET_BYTES = 1024 * 1024;

/** Rows for the next fetch: about FETCH_TARGET_BYTES at `lineBytes` a line, from 1 to `maxRows`. */
export function nextFetchRows(lineBytes: number, maxRows: number): number {
  const wanted = lineBytes > 0 ? Math.floor(FETCH_TARGET_BYTES / lineBytes) : FIRST_FETCH_ROWS;
  return Math.max(1, Math.min(Math.floor(maxRows), wanted));
}

/** Streams one organization as an archive of docs/backup-format.md, from one consistent snapshot. */
export function exportTenant(
  database: Database,
  tenantId: string,
  options: ExportOptions = {},
): ExportHandle {
  const started = performance.now();
  const pack = tar.pack();
  const gzip = createGzip({ level: 6, chunkSize: 64 * 1024 });
  const tap = new HashTap();
  pipeline(pack, gzip, tap, () => {});
  // Failures reach the caller through `done` and the returned stream; the inner streams must not
  // also raise them as uncaught errors.
  pack.on('error', () => {});
  gzip.on('error', () => {});

  const fail = (error: Error) => {
    if (!pack.destroyed) pack.destroy(error);
    if (!tap.destroyed) tap.destroy(error);
  };
  const onAbort = () => fail(new Error('export aborted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const written = new Promise<void>((resolve, reject) => {
    finished(tap, { readable: true, writable: true }, (error) => (error ? reject(error) : resolve()));
  });
  // Awaited only on success; a failure is already reported by `done`.
  written.catch(() => {});

  const done = (async (): Promise<ExportSummary> => {
    try {
      if (options.signal?.aborted) throw new Error('export aborted');
      const tables = await writeArchive(database, tenantId, pack, () => gzip.flush(), options);
      pack.finalize();
      await written;
      const totalRows = Object.values(tables).reduce((sum, t) => sum + t.rows, 0);
      return {
        tables,
        totalRows,
        bytes: tap.bytes,
        sha256: tap.sha256 ?? '',
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  })();
  // The caller may only read the stream; an unobserved rejection must not crash the process.
  done.catch(() => {});
  return { stream: tap, done };
}

async function writeArchive(
  database: Database,
  tenantId: string,
  pack: tar.Pack,
  flushGzip: () => void,
  options: ExportOptions,
): Promise<Record<string, TableSummary>> {
  const tenant = uuidLiteral(tenantId.toLowerCase());
  // Read before the transaction: on PGlite a query outside it would wait for it to end.
  const tables = await liveTableDefs(database.db);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const fetchRows = options.fetchRows ?? DEFAULT_FETCH_ROWS;

  return inTransaction(database, 'snapshot', async (session) => {
    const [source] = await session.query<{ slug: string; name: string; exported_at: string }>(
      `SELECT slug, name, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS exported_at
       FROM tenants WHERE id = ${tenant}`,
    );
    if (!source) throw new BackupError('TENANT_NOT_FOUND', `organization ${tenantId} does not exist`);
    const mtime = new Date(source.exported_at);

    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      schemaChecksum: schemaChecksum(tables),
      appVersion: options.appVersion ?? APP_VERSION,
      exportedAt: source.exported_at,
      source: { instanceId: options.instanceId ?? '', tenantId, slug: source.slug, name: source.name },
      tables,
      chunkBytes,
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await addEntry(pack, MANIFEST_ENTRY, manifestBytes, mtime);
    // Let the first bytes leave now rather than when gzip's window fills.
    flushGzip();

    const index: ArchiveIndex = { manifest: stats(manifestBytes), entries: [], tables: {} };
    for (const table of tables) {
      index.tables[table.name] = await writeTable(session, table, tenant, pack, mtime, index, {
        chunkBytes,
        fetchRows,
        onProgress: options.onProgress,
        signal: options.signal,
      });
    }
    await addEntry(pack, INDEX_ENTRY, Buffer.from(`${JSON.stringify(index, null, 2)}\n`), mtime);
    return index.tables;
  });
}

async function writeTable(
  session: Session,
  table: TableDef,
  tenant: string,
  pack: tar.Pack,
  mtime: Date,
  index: ArchiveIndex,
  options: Pick<ExportOptions, 'onProgress' | 'signal'> & { chunkBytes: number; fetchRows: number },
): Promise<TableSummary> {
  const tableHash = createHash('sha256');
  let tableRows = 0;
  let tableBytes = 0;
  let chunk = 1;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let pendingRows = 0;

  const flush = async () => {
    const body = Buffer.concat(pending, pendingBytes);
    const name = chunkEntryName(table.name, chunk);
    await addEntry(pack, name, body, mtime);
    index.entries.push({ name, table: table.name, chunk, rows: pendingRows, ...stats(body) });
    pending = [];
    pendingBytes = 0;
    pendingRows = 0;
    chunk += 1;
  };

  if (session.copyOut) {
    // PostgreSQL: the lines come as raw bytes from COPY, no row objects. CSV with a delimiter and a
    // quote character that JSON text never holds unescaped (control characters are \u-escaped and
    // row_to_json puts no raw newline in a line) prints each line exactly as it is.
    const copy = session.copyOut(
      `COPY (${selectLinesSql(table, tenant)}) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`,
    );
    let carry: Buffer | null = null;
    for await (const data of copy as AsyncIterable<Buffer>) {
      if (options.signal?.aborted) throw new Error('export aborted');
      let buf: Buffer = carry ? Buffer.concat([carry, data]) : data;
      const lastNewline = buf.lastIndexOf(10);
      if (lastNewline < 0) {
        carry = buf;
        continue;
      }
      carry = lastNewline + 1 < buf.length ? buf.subarray(lastNewline + 1) : null;
      buf = buf.subarray(0, lastNewline + 1);
      // Hand whole lines to the entries, splitting exactly where the row-by-row path would.
      while (buf.length > 0) {
        const room = options.chunkBytes - pendingBytes;
        let take: number;
        if (buf.length <= room) take = buf.length;
        else {
          const end = room > 0 ? buf.lastIndexOf(10, room - 1) : -1;
          if (end >= 0) take = end + 1;
          else if (pendingBytes > 0) {
            await flush();
            continue;
          } else take = buf.indexOf(10) + 1;
        }
        const piece = buf.subarray(0, take);
        let lines = 0;
        for (let at = piece.indexOf(10); at >= 0; at = piece.indexOf(10, at + 1)) lines += 1;
        pending.push(piece);
        pendingBytes += piece.length;
        pendingRows += lines;
        tableHash.update(piece);
        tableBytes += piece.length;
        tableRows += lines;
        buf = buf.subarray(take);
        if (pendingBytes >= options.chunkBytes && buf.length > 0) await flush();
      }
      options.onProgress?.({ table: table.name, rows: tableRows, bytes: tableBytes });
    }
    if (carry) throw new Error(`export of ${table.name}: the last line has no newline`);
    if (pendingBytes > 0 || chunk === 1) await flush();
    options.onProgress?.({ table: table.name, rows: tableRows, bytes: tableBytes });
    return { rows: tableRows, bytes: tableBytes, sha256: tableHash.digest('hex') };
  }

  const cursor = `backup_${table.name}`;
  await session.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${selectLinesSql(table, tenant)}`);
  let fetchRows = nextFetchRows(0, options.fetchRows);
  for (;;) {
    if (options.signal?.aborted) throw new Error('export aborted');
    const rows = await session.query<{ line: string }>(`FETCH FORWARD ${fetchRows} FROM ${cursor}`);
    let batchBytes = 0;
    for (const { line } of rows) {
      const bytes = Buffer.from(`${line}\n`);
      if (pendingBytes > 0 && pendingBytes + bytes.length > options.chunkBytes) await flush();
      pending.push(bytes);
      pendingBytes += bytes.length;
      pendingRows += 1;
      tableHash.update(bytes);
      tableBytes += bytes.length;
      tableRows += 1;
      batchBytes += bytes.length;
    }
    if (rows.length > 0) options.onProgress?.({ table: table.name, rows: tableRows, bytes: tableBytes });
    if (rows.length < fetchRows) break;
    // The larger of the table's and this batch's averages: a run of larger rows shrinks the next
    // fetch at once, and a run of small ones grows it only as far as the table's average allows.
    fetchRows = nextFetchRows(Math.max(tableBytes / tableRows, batchBytes / rows.length), options.fetchRows);
  }
  await session.query(`CLOSE ${cursor}`);
  // Every table has at least its first entry, empty when it has no rows.
  if (pendingBytes > 0 || chunk === 1) await flush();
  options.onProgress?.({ table: table.name, rows: tableRows, bytes: tableBytes });
  return { rows: tableRows, bytes: tableBytes, sha256: tableHash.digest('hex') };
}

function stats(body: Buffer): { bytes: number; sha256: string } {
  return { bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
}

/** Resolves once the entry is taken by the pack, so a slow reader slows the export (backpressure). */
function addEntry(pack: tar.Pack, name: string, body: Buffer, mtime: Date): Promise<void> {
  return new Promise((resolve, reject) => {
    const sink = pack.entry({ name, size: body.length, mode: 0o644, mtime, type: 'file' }, body, (error) =>
      error ? reject(error) : resolve(),
    );
    // When the pack is destroyed (abort, reader gone) the pending entry fails too.
    sink.on('error', reject);
  });
}

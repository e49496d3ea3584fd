import { createHash } from 'node:crypto';
import { type Readable, finished, pipeline } from 'node:stream';
import { type Database, type Session, inTransaction } from '@hisaabo/db';
import tar from 'tar-stream';
import { APP_VERSION } from './app-version.ts';
import { uuidLiteral } from './encode.ts';
import { BackupError } from './errors.ts';
import { TableChunkWriter } from './export-chunks.ts';
import { tableLines } from './export-lines.ts';
import { HashTap } from './hash-tap.ts';
import { ParallelGzip } from './parallel-gzip.ts';
import {
  type ArchiveIndex,
  FORMAT,
  FORMAT_VERSION,
  INDEX_ENTRY,
  MANIFEST_ENTRY,
  type Manifest,
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
  /** Uncompressed bytes per gzip member (default GZIP_MEMBER_BYTES); members are compressed in parallel. */
  gzipMemberBytes?: number;
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

export { nextFetchRows } from './export-lines.ts';

/** 1 MiB: an entry is buffered whole (its tar header states its size), so this bounds memory. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Uncompressed bytes per gzip member (docs/backup-format.md, "Container"). */
export const GZIP_MEMBER_BYTES = 1024 * 1024;
/**
 * Members in flight at once: two compressing (both cores of a small server) and one finished, waiting
 * for its turn. The thread pool has four threads; the fourth stays free for file writes, hashing
 * and password checks of other requests.
 */
const GZIP_IN_FLIGHT = 3;
const DEFAULT_FETCH_ROWS = 5000;

/** Streams one organization as an archive of docs/backup-format.md, from one consistent snapshot. */
export function exportTenant(
  database: Database,
  tenantId: string,
  options: ExportOptions = {},
): ExportHandle {
  const started = performance.now();
  const pack = tar.pack();
  const gzip = new ParallelGzip({
    memberBytes: options.gzipMemberBytes ?? GZIP_MEMBER_BYTES,
    maxInFlight: GZIP_IN_FLIGHT,
    level: 6,
  });
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
      // Members already on the thread pool finish first: nothing of this export runs after `done`.
      await gzip.idle();
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
    // Each table streams in primary-key order, which its index gives for free. The JSON-building
    // projection looks costly enough to the planner to pick a parallel scan, a sort and a merge
    // instead (plus JIT compilation): measured, that is about 70 % more database CPU for the same
    // lines, taken from the cores our own process needs.
    await session.query('SET LOCAL max_parallel_workers_per_gather = 0');
    await session.query('SET LOCAL jit = off');
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
  const writer = new TableChunkWriter(
    table.name,
    options.chunkBytes,
    async ({ name, chunk, rows, body }) => {
      await addEntry(pack, name, body, mtime);
      index.entries.push({ name, table: table.name, chunk, rows, ...stats(body) });
    },
    options.onProgress,
  );
  for await (const lines of tableLines(session, table, tenant, options)) await writer.write(lines);
  return writer.finish();
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

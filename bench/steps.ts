// One measured benchmark step per process, so its peak RSS is its own: `node dist/bench-steps.js
// <step> '<json input>'` (compiled by `npm run build` like the server, so the process is production's:
// no TypeScript loader). Each step prints one result line (see lib/measure.ts). Times are taken
// inside the step around the operation itself, after the database handle is open (Node start-up is
// excluded here; the caller also records whole-process wall time).

import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { exportTenant, restoreTenant } from '@hisaabo/backup';
import { type Database, TENANT_TABLES, connect, migrate, queryRows, tenants } from '@hisaabo/db';
import { seedDemoOrganization } from '@hisaabo/domain';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { printResult } from './lib/measure.ts';

interface Target {
  /** postgres://… or, for PGlite, a data directory. */
  databaseUrl?: string;
  dataDir?: string;
}

async function open(target: Target): Promise<Database> {
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  return connect(target.databaseUrl ? { databaseUrl: target.databaseUrl } : { dataDir: target.dataDir });
}

/** A new empty organization (the tenants row alone). */
async function createOrganization(database: Database, label: string): Promise<string> {
  const slug = `bench-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const [row] = await database.db
    .insert(tenants)
    .values({ name: `Benchmark ${label}`, slug })
    .returning({ id: tenants.id });
  return row!.id;
}

async function countRows(database: Database, tenantId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const spec of TENANT_TABLES) {
    const [row] = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM ${sql.identifier(spec.name)} WHERE tenant_id = ${tenantId}`,
    );
    counts[spec.name] = Number(row?.n ?? 0);
  }
  return counts;
}

/** Passes bytes through, noting when the first one arrives and how many went by. */
class FirstByte extends Transform {
  firstAt = 0;
  bytes = 0;
  override _transform(chunk: Buffer, _e: BufferEncoding, callback: (e?: Error | null, d?: Buffer) => void) {
    if (this.firstAt === 0) this.firstAt = performance.now();
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

class Sink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _e: BufferEncoding, callback: () => void) {
    this.bytes += chunk.length;
    callback();
  }
}

type Input = Target & Record<string, unknown>;

/** The monotonic clock V8's CPU profiles use, in microseconds: marks the operation in a profile. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** CPU time of this process (every thread: zlib and crypto work on the libuv pool count too), ms. */
const cpuMsNow = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const steps: Record<string, (input: Input) => Promise<unknown>> = {
  /** The same process with nothing to do: every module loaded, one query. Its RSS is the floor. */
  async baseline(input) {
    const database = await open(input);
    try {
      await queryRows(database.db, sql`SELECT 1`);
      return { opMs: 0 };
    } finally {
      await database.close();
    }
  },

  /** Migrates (when asked), creates an organization and seeds it with the demo generator. */
  async seed(input) {
    const database = await open(input);
    try {
      if (input.migrate) await migrate(database);
      const tenantId = await createOrganization(database, 'source');
      const started = performance.now();
      let lastReport = 0;
      await seedDemoOrganization(database, {
        tenantId,
        invoices: Number(input.invoices),
        seed: Number(input.seed ?? 1),
        onProgress: (progress: unknown) => {
          if (performance.now() - lastReport < 10_000) return;
          lastReport = performance.now();
          process.stderr.write(`  seed: ${JSON.stringify(progress)}\n`);
        },
      });
      const seedMs = performance.now() - started;
      return { tenantId, seedMs, rows: await countRows(database, tenantId) };
    } finally {
      await database.close();
    }
  },

  /** Prepares an empty organization (migrating a fresh database first when asked). */
  async prepare(input) {
    const database = await open(input);
    try {
      if (input.migrate) await migrate(database);
      return { tenantId: await createOrganization(database, 'target') };
    } finally {
      await database.close();
    }
  },

  /** Our export, engine called directly, written to a file. */
  async export(input) {
    const database = await open(input);
    try {
      const startUs = nowUs();
      const cpuStart = cpuMsNow();
      const started = performance.now();
      const handle = exportTenant(database, String(input.tenantId));
      const tap = new FirstByte();
      await pipeline(handle.stream, tap, createWriteStream(String(input.out)));
      const summary = await handle.done;
      const opMs = performance.now() - started;
      const opCpuMs = cpuMsNow() - cpuStart;
      const window = [startUs, nowUs()];
      return {
        opMs,
        opCpuMs,
        ttfbMs: tap.firstAt - started,
        bytes: tap.bytes,
        rows: summary.totalRows,
        window,
      };
    } finally {
      await database.close();
    }
  },

  /** Our restore of an archive file into an empty organization (prepared first on PGlite). */
  async restore(input) {
    const database = await open(input);
    try {
      let tenantId = String(input.tenantId ?? '');
      if (!tenantId) {
        if (input.migrate) await migrate(database);
        tenantId = await createOrganization(database, 'target');
      }
      const startUs = nowUs();
      const cpuStart = cpuMsNow();
      const started = performance.now();
      const report = await restoreTenant(database, tenantId, createReadStream(String(input.file)), {
        pauseRecurring: false,
        // Only for comparing the line worker against one thread by hand; the bench leaves the default.
        ...(input.workerAfterBytes === undefined ? {} : { workerAfterBytes: Number(input.workerAfterBytes) }),
      });
      const opMs = performance.now() - started;
      const opCpuMs = cpuMsNow() - cpuStart;
      // Counted in the database afterwards (not timed), so the check does not rely on the report.
      const rowsByTable = await countRows(database, tenantId);
      const rows = Object.values(rowsByTable).reduce((sum, n) => sum + n, 0);
      return {
        opMs,
        opCpuMs,
        tenantId,
        rows,
        rowsByTable,
        reported: report.rowsInserted,
        window: [startUs, nowUs()],
      };
    } finally {
      await database.close();
    }
  },

  /** Downloads an export over HTTP to a file. */
  async download(input) {
    const started = performance.now();
    const response = await fetch(String(input.url));
    if (!response.ok || !response.body) throw new Error(`download failed: HTTP ${response.status}`);
    const tap = new FirstByte();
    const { Readable } = await import('node:stream');
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>),
      tap,
      createWriteStream(String(input.out)),
    );
    return { opMs: performance.now() - started, ttfbMs: tap.firstAt - started, bytes: tap.bytes };
  },

  /**
   * Floor of reading the organization out of PostgreSQL: `COPY (SELECT * … WHERE tenant_id = $1)
   * TO STDOUT` of every tenant table into a byte counter, on one connection in one snapshot.
   */
  async readFloor(input) {
    const client = new pg.Client({ connectionString: String(input.databaseUrl) });
    await client.connect();
    try {
      const started = performance.now();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      let bytes = 0;
      for (const spec of TENANT_TABLES) {
        const sink = new Sink();
        const query = `COPY (SELECT * FROM "${spec.name}" WHERE tenant_id = '${String(input.tenantId)}') TO STDOUT`;
        await pipeline(client.query(copyTo(query)), sink);
        bytes += sink.bytes;
      }
      await client.query('COMMIT');
      return { opMs: performance.now() - started, bytes };
    } finally {
      await client.end();
    }
  },

  /**
   * Floor of compressing the archive: its uncompressed tar recompressed by zlib at level 6 on one
   * thread (decompression is not timed: the tar is written to a file first).
   */
  async gzipFloor(input) {
    const raw = `${String(input.file)}.tar`;
    await pipeline(createReadStream(String(input.file)), createGunzip(), createWriteStream(raw));
    const sink = new Sink();
    const started = performance.now();
    await pipeline(createReadStream(raw), createGzip({ level: 6 }), sink);
    const opMs = performance.now() - started;
    const { statSync, rmSync } = await import('node:fs');
    const rawBytes = statSync(raw).size;
    rmSync(raw);
    return { opMs, rawBytes, gzBytes: sink.bytes };
  },
};

async function main(): Promise<void> {
  const [name, json] = process.argv.slice(2);
  const step = name ? steps[name] : undefined;
  if (!step) throw new Error(`unknown step ${name}; one of ${Object.keys(steps).join(', ')}`);
  const result = (await step(JSON.parse(json ?? '{}') as Input)) as Record<string, unknown>;
  printResult({ ...result, maxRssKb: process.resourceUsage().maxRSS });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

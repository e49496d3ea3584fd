// `npm run bench [-- options]`: organization backup and restore against pg_dump / pg_restore, side by
// side in one run on one machine. See docs/benchmarks.md for what is measured and how to read it.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ClusterResult, benchCluster } from './citus.ts';
import { benchPglite } from './pglite.ts';
import { CITUS_BEGIN_MARK, CITUS_END_MARK, type CitusReport, renderCitusReport } from './lib/citus-report.ts';
import { type HttpExporter, startHttpExporter } from './lib/http.ts';
import { describeMachine } from './lib/machine.ts';
import { REPO_ROOT, ensureBuilt, measure, measureStep } from './lib/measure.ts';
import { DatabaseNodes } from './lib/nodes.ts';
import { PgServer } from './lib/pg.ts';
import { type SeedRecord, findKeptSeed, keptSeedName, markSeedKept } from './lib/seeds.ts';
import { type Options, options } from './lib/options.ts';
import { mainProfile, summariseProfile } from './lib/profile.ts';
import { type BenchReport, type SizeResult, renderReport, writeReport } from './lib/report.ts';
import type { Sample } from './lib/stats.ts';
import { SEED, fileSize, log, mib, ours, seconds, tool, watched } from './lib/samples.ts';

async function benchPostgres(
  server: PgServer,
  invoices: number,
  opts: Options,
  work: string,
  main: boolean,
): Promise<SizeResult> {
  const label = `pg${invoices}`;
  // Sizes above the main one (a million invoices) take minutes a repetition: --scale-reps of them.
  const reps = invoices > opts.invoices ? opts.scaleReps : opts.reps;
  const kept = opts.keepSeeds ? keptSeedName(invoices, SEED) : null;
  const reused = kept ? await findKeptSeed(server, kept) : null;
  const source =
    reused && kept
      ? kept
      : kept
        ? await server.createNamedDatabase(kept)
        : await server.createDatabase(`src${invoices}`);
  const sourceUrl = server.urlFor(source);
  let seededRecord: SeedRecord;
  if (reused) {
    log(`[${label}] reusing the kept seed ${source} (seeded in ${seconds(reused.seedMs)})`);
    seededRecord = reused;
  } else {
    log(`[${label}] seeding ${invoices} invoices into ${source}`);
    const seeded = await measureStep<SeedRecord>('seed', {
      databaseUrl: sourceUrl,
      migrate: true,
      invoices,
      seed: SEED,
    });
    seededRecord = seeded.result!;
  }
  const { tenantId, rows: rowsByTable, seedMs } = seededRecord;
  const rows = Object.values(rowsByTable).reduce((a, b) => a + b, 0);
  await server.query('VACUUM ANALYZE', source);
  if (kept && !reused) await markSeedKept(server, kept, seededRecord);
  if (kept) server.keep(source);
  const [size] = await server.query<{ bytes: string }>(
    'SELECT pg_database_size(current_database())::text AS bytes',
    source,
  );
  log(`[${label}] ${rows} rows in ${seconds(seedMs)}; database ${mib(Number(size?.bytes))}`);

  const result: SizeResult = {
    backend: 'postgres',
    invoices,
    rows,
    rowsByTable,
    seedMs,
    databaseBytes: Number(size?.bytes ?? 0),
    stages: { ourExport: [], pgDump: [], httpExport: [], ourRestore: [], pgRestore: [] },
    notes: reused ? [`the seeded organization was kept from an earlier run (${source})`] : [],
  };

  let http: HttpExporter | null = null;
  if (opts.http && main) {
    http = await startHttpExporter({ databaseUrl: sourceUrl, tenantId, work }).catch((error: Error) => {
      result.notes.push(`export over HTTP not measured: ${error.message}`);
      log(`[${label}] HTTP export unavailable: ${error.message}`);
      return null;
    });
  }

  if (main) {
    // The same step process doing nothing: what any of our processes costs before it does work.
    const idle = await measureStep('baseline', { databaseUrl: sourceUrl });
    result.baselineRssKb = idle.maxRssKb;
  }

  const archive = path.join(work, `${label}.tar.gz`);
  const dump = path.join(work, `${label}.dump`);
  try {
    // Export side: ours and pg_dump alternate, so both see the same machine conditions.
    for (let rep = 1; rep <= reps; rep++) {
      const ourFile = rep === 1 ? archive : path.join(work, `${label}-${rep}.tar.gz`);
      const e = await watched(server, source, () =>
        measureStep('export', { databaseUrl: sourceUrl, tenantId, out: ourFile }),
      );
      result.stages.ourExport.push(ours(e.value, e.backendCpuMs));
      const dumpFile = rep === 1 ? dump : path.join(work, `${label}-${rep}.dump`);
      const d = await watched(server, source, () =>
        measure('pg_dump', ['-Fc', '-f', dumpFile, ...server.clientArgs(source)], {
          env: server.clientEnv(),
        }),
      );
      result.stages.pgDump.push(tool(d.value, d.backendCpuMs, fileSize(dumpFile)));
      if (rep > 1) {
        rmSync(ourFile, { force: true });
        rmSync(dumpFile, { force: true });
      }
      if (http) {
        const exporter = http;
        try {
          const h = await watched(server, source, () =>
            exporter.download(path.join(work, `${label}-http.tar.gz`)),
          );
          result.stages.httpExport.push(h.value.sample(h.backendCpuMs));
        } catch (error) {
          result.notes.push(`export over HTTP failed, not measured further: ${(error as Error).message}`);
          log(`[${label}] HTTP export failed: ${(error as Error).message}`);
          await exporter.stop();
          http = null;
        }
      }
      log(
        `[${label}] export rep ${rep}: ours ${seconds(result.stages.ourExport.at(-1)!.opMs)}, pg_dump ${seconds(
          result.stages.pgDump.at(-1)!.opMs,
        )}${http ? `, HTTP ${seconds(result.stages.httpExport.at(-1)!.opMs)}` : ''}`,
      );
    }
  } finally {
    await http?.stop();
  }

  // Restore side: ours into an empty organization of a freshly migrated database; pg_restore into an
  // empty database. Each repetition gets a new database, dropped afterwards.
  for (let rep = 1; rep <= reps; rep++) {
    const target = await server.createDatabase(`ours${invoices}`);
    const targetUrl = server.urlFor(target);
    const prepared = await measureStep<{ tenantId: string }>('prepare', {
      databaseUrl: targetUrl,
      migrate: true,
    });
    const r = await watched(server, target, () =>
      measureStep<{ rows: number; reported: Record<string, number>; rowsByTable: Record<string, number> }>(
        'restore',
        {
          databaseUrl: targetUrl,
          tenantId: prepared.result!.tenantId,
          file: archive,
        },
      ),
    );
    const restored = Number(r.value.result?.rows ?? 0);
    if (restored !== rows) result.notes.push(`our restore left ${restored} rows, expected ${rows}`);
    const reported = r.value.result?.reported ?? {};
    const inDb = r.value.result?.rowsByTable ?? {};
    for (const [table, n] of Object.entries(reported)) {
      if (n !== inDb[table]) {
        result.notes.push(`restore report says ${n} rows for ${table}; the database holds ${inDb[table]}`);
      }
    }
    result.stages.ourRestore.push({ ...ours(r.value, r.backendCpuMs), bytes: fileSize(archive) });
    await server.dropDatabase(target);

    const pgTarget = await server.createDatabase(`pgr${invoices}`);
    const p = await watched(server, pgTarget, () =>
      measure('pg_restore', ['--no-owner', ...server.clientArgs(pgTarget), dump], {
        env: server.clientEnv(),
      }),
    );
    result.stages.pgRestore.push(tool(p.value, p.backendCpuMs, fileSize(dump)));
    await server.dropDatabase(pgTarget);
    log(
      `[${label}] restore rep ${rep}: ours ${seconds(result.stages.ourRestore.at(-1)!.opMs)}, pg_restore ${seconds(
        result.stages.pgRestore.at(-1)!.opMs,
      )}`,
    );
  }

  if (opts.profile && main) {
    result.profiles = [];
    for (const stage of ['export', 'restore'] as const) {
      const dir = path.join(work, `profile-${stage}`);
      mkdirSync(dir, { recursive: true });
      let target: string | null = null;
      let input: Record<string, unknown> = {
        databaseUrl: sourceUrl,
        tenantId,
        out: path.join(work, 'profile.tar.gz'),
      };
      if (stage === 'restore') {
        target = await server.createDatabase(`prof${invoices}`);
        const url = server.urlFor(target);
        const prepared = await measureStep<{ tenantId: string }>('prepare', {
          databaseUrl: url,
          migrate: true,
        });
        input = { databaseUrl: url, tenantId: prepared.result!.tenantId, file: archive };
      }
      const m = await watched(server, target ?? source, () =>
        measureStep(stage, input, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] }),
      );
      if (target) await server.dropDatabase(target);
      const file = mainProfile(dir);
      if (file) {
        result.profiles.push({
          stage,
          sample: ours(m.value, m.backendCpuMs),
          summary: summariseProfile(file, m.value.result?.window as [number, number] | undefined),
          file: opts.keep ? file : null,
        });
      }
      log(`[${label}] profiled ${stage}`);
    }
    if (opts.http) {
      // The server during an HTTP export: where its CPU goes beyond the engine's.
      const dir = path.join(work, 'profile-http');
      mkdirSync(dir, { recursive: true });
      const exporter = await startHttpExporter({
        databaseUrl: sourceUrl,
        tenantId,
        work,
        nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir],
      }).catch((error: Error) => {
        log(`[${label}] HTTP profile not taken: ${error.message}`);
        return null;
      });
      if (exporter) {
        let measured: { sample: Sample; window: [number, number] } | null = null;
        try {
          const h = await watched(server, source, () =>
            exporter.download(path.join(work, 'profile-http.tar.gz')),
          );
          measured = { sample: h.value.sample(h.backendCpuMs), window: h.value.window };
        } finally {
          await exporter.stop();
        }
        const file = mainProfile(dir);
        if (file && measured) {
          result.profiles.push({
            stage: 'export over HTTP (the server)',
            sample: measured.sample,
            summary: summariseProfile(file, measured.window),
            file: opts.keep ? file : null,
          });
          log(`[${label}] profiled export over HTTP`);
        }
      }
    }
    const read = await measureStep<{ opMs: number; bytes: number }>('readFloor', {
      databaseUrl: sourceUrl,
      tenantId,
    });
    const gz = await measureStep<{ opMs: number; rawBytes: number; gzBytes: number }>('gzipFloor', {
      file: archive,
    });
    result.floors = {
      readMs: read.result!.opMs,
      readBytes: read.result!.bytes,
      gzipMs: gz.result!.opMs,
      rawBytes: gz.result!.rawBytes,
      gzBytes: gz.result!.gzBytes,
    };
    log(
      `[${label}] floors: COPY read ${seconds(result.floors.readMs)}, gzip -6 ${seconds(result.floors.gzipMs)}`,
    );
  }

  rmSync(archive, { force: true });
  rmSync(dump, { force: true });
  if (!kept) await server.dropDatabase(source);
  return result;
}

/** The Citus run: the same organization on one PostgreSQL server and on the cluster, one after the other. */
async function mainCitus(opts: Options, server: PgServer, work: string): Promise<void> {
  if (!opts.citusUrl) {
    throw new Error(
      '--backend citus needs the coordinator URL of a throwaway Citus database: --citus-url or $HISAABO_BENCH_CITUS_URL (see docs/benchmarks.md)',
    );
  }
  const citusUrl = opts.citusUrl;
  const [ext] = await new PgServer(citusUrl).query<{ v: string }>(
    "SELECT extversion AS v FROM pg_extension WHERE extname = 'citus'",
    new URL(citusUrl).pathname.slice(1),
  );
  if (!ext)
    throw new Error(`no citus extension in ${new URL(citusUrl).pathname.slice(1)}: not a Citus database`);
  const report: CitusReport = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: describeMachine(await server.version()),
    loadAverageAtEnd: [],
    reps: opts.reps,
    citusVersion: ext.v,
    sides: [],
  };
  const save = () => {
    report.finishedAt = new Date().toISOString();
    report.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
    const markdown = renderCitusReport(report);
    if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
    if (opts.out)
      writeReport(path.resolve(REPO_ROOT, opts.out), markdown, {
        begin: CITUS_BEGIN_MARK,
        end: CITUS_END_MARK,
      });
    else process.stdout.write(`${markdown}\n`);
  };
  const settings = {
    invoices: opts.invoices,
    reps: opts.reps,
    concurrent: opts.concurrent,
    work,
    version: report.machine.postgres,
  };
  const pgDatabase = await server.createDatabase(`citus_pg${opts.invoices}`);
  const sides: ClusterResult[] = report.sides;
  sides.push(
    await benchCluster(
      {
        kind: 'postgres',
        databaseUrl: server.urlFor(pgDatabase),
        nodes: DatabaseNodes.single(server.adminUrl, pgDatabase),
      },
      settings,
      log,
    ),
  );
  await server.dropDatabase(pgDatabase);
  const [citusServer] = await new PgServer(citusUrl).query<{ v: string }>(
    'SHOW server_version',
    new URL(citusUrl).pathname.slice(1),
  );
  sides.push(
    await benchCluster(
      { kind: 'citus', databaseUrl: citusUrl, nodes: await DatabaseNodes.citus(citusUrl) },
      { ...settings, version: citusServer?.v ?? 'unknown' },
      log,
    ),
  );
  save();
  if (opts.out) log(`wrote ${opts.out}`);
}

async function main(): Promise<void> {
  const opts = options();
  // Every step process and the HTTP server run the compiled code, as production does.
  ensureBuilt();
  const server = new PgServer(opts.pgUrl);
  const work = mkdtempSync(path.join(os.tmpdir(), 'hisaabo-bench-'));
  if (opts.citus) {
    process.on('SIGINT', () => {
      void server.dropAll().then(() => process.exit(130));
    });
    try {
      await mainCitus(opts, server, work);
    } finally {
      await server.dropAll();
      if (!opts.keep) rmSync(work, { recursive: true, force: true });
    }
    return;
  }
  const started = new Date();
  const postgresVersion = opts.backends.includes('postgres') ? await server.version() : 'not used';
  const report: BenchReport = {
    startedAt: started.toISOString(),
    finishedAt: '',
    machine: describeMachine(postgresVersion),
    loadAverageAtEnd: [],
    options: {
      invoices: opts.invoices,
      scale: opts.scale,
      pgliteInvoices: opts.pgliteInvoices,
      reps: opts.reps,
      scaleReps: opts.scaleReps,
      quick: opts.quick,
    },
    sizes: [],
    failures: [],
  };
  const cleanup = async () => {
    await server.dropAll();
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    void cleanup().then(() => process.exit(130));
  });
  // The report is rewritten after every size, so a failure later in the run keeps what was measured.
  const save = (final: boolean) => {
    report.finishedAt = new Date().toISOString();
    report.loadAverageAtEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
    const markdown = renderReport(report);
    if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
    if (opts.out) {
      writeReport(path.resolve(REPO_ROOT, opts.out), markdown);
      if (final) log(`wrote ${opts.out}`);
    } else if (final) {
      process.stdout.write(`${markdown}\n`);
    }
  };
  try {
    if (opts.backends.includes('postgres')) {
      const sizes = [...new Set([...opts.scale.filter((n) => n !== opts.invoices), opts.invoices])].sort(
        (a, b) => a - b,
      );
      for (const n of sizes) {
        report.sizes.push(await benchPostgres(server, n, opts, work, n === opts.invoices));
        save(false);
      }
    }
    if (opts.backends.includes('pglite') && opts.pgliteInvoices > 0) {
      // Last and kept apart: PostgreSQL's figures stand even if the embedded run fails.
      try {
        report.sizes.push(await benchPglite(opts.pgliteInvoices, opts, work));
      } catch (error) {
        const message = (error as Error).message.split('\n')[0] ?? String(error);
        report.failures.push(`PGlite at ${opts.pgliteInvoices} invoices not measured: ${message}`);
        log(`[pglite${opts.pgliteInvoices}] failed: ${(error as Error).message}`);
      }
    }
  } finally {
    await cleanup();
  }
  save(true);
  if (opts.keep) log(`work directory kept: ${work}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

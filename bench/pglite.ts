// The embedded database's figures: the same organization seeded, exported and restored on PGlite,
// beside PostgreSQL's (no pg_dump there: PGlite has no server to point it at).

import { rmSync } from 'node:fs';
import path from 'node:path';
import { measureStep } from './lib/measure.ts';
import type { Options } from './lib/options.ts';
import type { SizeResult } from './lib/report.ts';
import { SEED, fileSize, log, ours, seconds } from './lib/samples.ts';

export async function benchPglite(invoices: number, opts: Options, work: string): Promise<SizeResult> {
  const label = `pglite${invoices}`;
  const dataDir = path.join(work, `${label}-source`);
  log(`[${label}] seeding ${invoices} invoices into PGlite`);
  const seeded = await measureStep<{ tenantId: string; seedMs: number; rows: Record<string, number> }>(
    'seed',
    {
      dataDir,
      migrate: true,
      invoices,
      seed: SEED,
    },
  );
  const { tenantId, rows: rowsByTable, seedMs } = seeded.result!;
  const rows = Object.values(rowsByTable).reduce((a, b) => a + b, 0);
  log(`[${label}] ${rows} rows in ${seconds(seedMs)}`);
  const result: SizeResult = {
    backend: 'pglite',
    invoices,
    rows,
    rowsByTable,
    seedMs,
    databaseBytes: null,
    stages: { ourExport: [], pgDump: [], httpExport: [], ourRestore: [], pgRestore: [] },
    notes: [],
  };
  result.baselineRssKb = (await measureStep('baseline', { dataDir })).maxRssKb;
  const archive = path.join(work, `${label}.tar.gz`);
  for (let rep = 1; rep <= opts.reps; rep++) {
    const out = rep === 1 ? archive : path.join(work, `${label}-${rep}.tar.gz`);
    const e = await measureStep('export', { dataDir, tenantId, out });
    result.stages.ourExport.push(ours(e, null));
    if (rep > 1) rmSync(out, { force: true });
  }
  for (let rep = 1; rep <= opts.reps; rep++) {
    const target = path.join(work, `${label}-target-${rep}`);
    const r = await measureStep<{ rows: number }>('restore', {
      dataDir: target,
      migrate: true,
      file: archive,
    });
    const restored = Number(r.result?.rows ?? 0);
    if (restored !== rows) result.notes.push(`our restore left ${restored} rows, expected ${rows}`);
    result.stages.ourRestore.push({ ...ours(r, null), bytes: fileSize(archive) });
    rmSync(target, { recursive: true, force: true });
  }
  log(
    `[${label}] export ${seconds(result.stages.ourExport[0]!.opMs)}, restore ${seconds(result.stages.ourRestore[0]!.opMs)}`,
  );
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(archive, { force: true });
  return result;
}

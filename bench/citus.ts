// `npm run bench -- --backend citus`: export and restore of one organization on a Citus cluster beside
// one PostgreSQL server in the same run, and the time to restore several organizations at once against
// one after another, on both. See docs/benchmarks.md ("Citus").

import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { type Measured, measureStep } from './lib/measure.ts';
import type { DatabaseNodes } from './lib/nodes.ts';
import { ours } from './lib/samples.ts';
import type { Sample } from './lib/stats.ts';

export interface RestoreBatch {
  /** Organizations restored. */
  count: number;
  /**
   * From the first restore's start to the last one's commit, inside the processes (start-up of Node
   * and TypeScript excluded, as for a single restore); one after another, the sum of the restores.
   */
  opMs: number;
  /** The same seen from outside, process start-ups included. */
  wallMs: number;
  /** Each restore's own operation time. */
  eachMs: number[];
  /** CPU of our restores' operations (all of them) and of the database backends on every node. */
  processCpuMs: number;
  backendCpuMs: number | null;
  /** Where each organization landed (Citus: the worker's port), in restore order. */
  nodes: string[];
}

export interface ClusterResult {
  kind: 'citus' | 'postgres';
  /** Database servers serving the database (1, or coordinator + workers). */
  nodeCount: number;
  version: string;
  invoices: number;
  rows: number;
  seedMs: number;
  exports: Sample[];
  restores: Sample[];
  sequential: RestoreBatch | null;
  parallel: RestoreBatch | null;
  notes: string[];
}

export interface ClusterTarget {
  kind: 'citus' | 'postgres';
  /** The database the run works in (already created, empty or holding other organizations). */
  databaseUrl: string;
  nodes: DatabaseNodes;
}

type Log = (message: string) => void;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function query<T>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** On Citus: the port of the worker holding the organization's shard group; else "—". */
async function placement(target: ClusterTarget, tenantId: string): Promise<string> {
  if (target.kind !== 'citus') return '—';
  const [row] = await query<{ port: number }>(
    target.databaseUrl,
    `SELECT n.nodeport AS port FROM pg_dist_placement p JOIN pg_dist_node n USING (groupid)
      WHERE p.shardid = get_shard_id_for_distribution_column('invoices', $1::uuid)`,
    [tenantId],
  );
  return row ? String(row.port) : '?';
}

/**
 * Deletes empty organizations the run made and did not use. Restored ones stay: deleting an
 * organization of 100,000 invoices through the foreign keys' cascade takes minutes, longer than the
 * run; the PostgreSQL side's database is dropped at the end, the Citus database is a throwaway one.
 */
async function removeOrganizations(target: ClusterTarget, ids: string[]): Promise<void> {
  if (ids.length) await query(target.databaseUrl, 'DELETE FROM tenants WHERE id = ANY($1::uuid[])', [ids]);
}

async function prepare(target: ClusterTarget): Promise<string> {
  const m = await measureStep<{ tenantId: string }>('prepare', { databaseUrl: target.databaseUrl });
  return m.result!.tenantId;
}

/**
 * `count` new empty organizations spread evenly over the workers (on Citus; any on PostgreSQL), so a
 * batch restored at once measures the cluster using every worker, not the luck of the hash. Extra
 * organizations made on the way are deleted.
 */
async function spreadOrganizations(target: ClusterTarget, count: number): Promise<string[]> {
  const workers = Math.max(1, target.nodes.adminUrls.length - 1);
  const perWorker = Math.ceil(count / workers);
  const kept: string[] = [];
  const spare: string[] = [];
  const onWorker = new Map<string, number>();
  for (let tries = 0; kept.length < count; tries++) {
    const id = await prepare(target);
    const node = await placement(target, id);
    const n = onWorker.get(node) ?? 0;
    if (target.kind === 'citus' && n >= perWorker && tries < count * 4) {
      spare.push(id);
      continue;
    }
    onWorker.set(node, n + 1);
    kept.push(id);
  }
  await removeOrganizations(target, spare);
  return kept;
}

async function restoreBatch(
  target: ClusterTarget,
  archive: string,
  rows: number,
  count: number,
  atOnce: boolean,
  notes: string[],
): Promise<RestoreBatch> {
  const ids = await spreadOrganizations(target, count);
  const restore = (tenantId: string) =>
    measureStep<{ rows: number; opMs: number; opCpuMs: number; window: [number, number] }>('restore', {
      databaseUrl: target.databaseUrl,
      tenantId,
      file: archive,
    });
  const started = performance.now();
  const watched = await target.nodes.watched(async () => {
    if (atOnce) return Promise.all(ids.map(restore));
    const done: Measured<{ rows: number; opMs: number; opCpuMs: number; window: [number, number] }>[] = [];
    for (const id of ids) done.push(await restore(id));
    return done;
  });
  const wallMs = performance.now() - started;
  for (const m of watched.value) {
    if (Number(m.result?.rows) !== rows)
      notes.push(`a restore left ${m.result?.rows} rows, expected ${rows}`);
  }
  const nodes = await Promise.all(ids.map((id) => placement(target, id)));
  const results = watched.value.map((m) => m.result!);
  const eachMs = results.map((r) => Number(r.opMs));
  // The steps' windows are microseconds of the system's monotonic clock: comparable across processes.
  const spanMs =
    (Math.max(...results.map((r) => r.window[1])) - Math.min(...results.map((r) => r.window[0]))) / 1000;
  return {
    count,
    opMs: atOnce ? spanMs : eachMs.reduce((a, b) => a + b, 0),
    wallMs,
    eachMs,
    processCpuMs: results.reduce((a, r) => a + Number(r.opCpuMs), 0),
    backendCpuMs: watched.backendCpuMs,
    nodes,
  };
}

/** The whole procedure on one database: seed, export, restore, and the batch of restores. */
export async function benchCluster(
  target: ClusterTarget,
  opts: { invoices: number; reps: number; concurrent: number; work: string; version: string },
  log: Log,
): Promise<ClusterResult> {
  const label = `${target.kind}${opts.invoices}`;
  log(`[${label}] migrating and seeding ${opts.invoices} invoices`);
  const seeded = await measureStep<{ tenantId: string; seedMs: number; rows: Record<string, number> }>(
    'seed',
    {
      databaseUrl: target.databaseUrl,
      migrate: true,
      invoices: opts.invoices,
      seed: 1,
    },
  );
  const { tenantId, seedMs } = seeded.result!;
  // Every restore lands in this same database, beside the source and the earlier restores.
  const rows = Object.values(seeded.result!.rows).reduce((a, b) => a + b, 0);
  await query(target.databaseUrl, 'VACUUM ANALYZE');
  log(`[${label}] ${rows} rows in ${seconds(seedMs)}`);
  const result: ClusterResult = {
    kind: target.kind,
    nodeCount: target.nodes.adminUrls.length,
    version: opts.version,
    invoices: opts.invoices,
    rows,
    seedMs,
    exports: [],
    restores: [],
    sequential: null,
    parallel: null,
    notes: [],
  };
  const archive = path.join(opts.work, `${label}.tar.gz`);
  try {
    for (let rep = 1; rep <= opts.reps; rep++) {
      const out = rep === 1 ? archive : path.join(opts.work, `${label}-${rep}.tar.gz`);
      const e = await target.nodes.watched(() =>
        measureStep('export', { databaseUrl: target.databaseUrl, tenantId, out }),
      );
      result.exports.push(ours(e.value, e.backendCpuMs));
      if (rep > 1) rmSync(out, { force: true });
      log(`[${label}] export rep ${rep}: ${seconds(result.exports.at(-1)!.opMs)}`);
    }
    for (let rep = 1; rep <= opts.reps; rep++) {
      const id = await prepare(target);
      const r = await target.nodes.watched(() =>
        measureStep<{ rows: number }>('restore', {
          databaseUrl: target.databaseUrl,
          tenantId: id,
          file: archive,
        }),
      );
      if (Number(r.value.result?.rows) !== rows) {
        result.notes.push(`a restore left ${r.value.result?.rows} rows, expected ${rows}`);
      }
      result.restores.push({ ...ours(r.value, r.backendCpuMs), bytes: result.exports[0]!.bytes });
      log(`[${label}] restore rep ${rep}: ${seconds(result.restores.at(-1)!.opMs)}`);
    }
    if (opts.concurrent > 1) {
      result.sequential = await restoreBatch(target, archive, rows, opts.concurrent, false, result.notes);
      log(`[${label}] ${opts.concurrent} restores one after another: ${seconds(result.sequential.wallMs)}`);
      result.parallel = await restoreBatch(target, archive, rows, opts.concurrent, true, result.notes);
      log(`[${label}] ${opts.concurrent} restores at once: ${seconds(result.parallel.wallMs)}`);
    }
  } finally {
    rmSync(archive, { force: true });
  }
  return result;
}

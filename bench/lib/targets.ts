import type { SizeResult } from './report.ts';
import { type StageStats, stageStats } from './stats.ts';

// Issue 13's targets, each judged from the run's own figures: a target is met or not, never guessed.
// One run on one quiet machine; medians; peak RSS is the highest of the repetitions.

export interface Target {
  what: string;
  /** Our figure and what it is compared with, as shown. */
  figure: string;
  target: string;
  /** null when the run did not measure it (a size or a stage left out). */
  met: boolean | null;
}

const MB = 1e6;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rss = (kb: number) => `${((kb * 1024) / MB).toFixed(0)} MB`;
const x = (ratio: number) => `${ratio.toFixed(2)}×`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const cpuTotal = (st: StageStats) => st.cpuMs + (st.backendCpuMs ?? 0);

export const LIMITS = {
  exportWall: 0.9,
  exportCpu: 1.2,
  httpOverEngine: 1.1,
  restoreWall: 1.2,
  restoreCpu: 1.6,
  archive: 1.0,
  processRssMb: 120,
  serverRssMb: 150,
  perRowDrift: 0.15,
  rssFlat: 0.1,
  pgliteExport: 2,
  pgliteRestore: 3,
  firstByteMs: 1000,
} as const;

function ratioTarget(what: string, ours: number, theirs: number, limit: number, label: string): Target {
  const ratio = ours / theirs;
  // A ratio that rounds to the limit is shown finer, so "1.00× not met" does not read as a mistake.
  const shown = x(ratio) === x(limit) ? `${ratio.toFixed(3)}×` : x(ratio);
  return {
    what,
    figure: `${label}: ${shown}`,
    target: `≤ ${x(limit)}`,
    met: Number.isFinite(ratio) ? ratio <= limit : null,
  };
}

function rssTarget(what: string, kb: number, limitMb: number): Target {
  const mb = (kb * 1024) / MB;
  return { what, figure: `${mb.toFixed(1)} MB`, target: `≤ ${limitMb} MB`, met: mb <= limitMb };
}

/** The targets for the main size on PostgreSQL. */
function mainTargets(main: SizeResult): Target[] {
  const e = stageStats(main.stages.ourExport);
  const d = stageStats(main.stages.pgDump);
  const h = stageStats(main.stages.httpExport);
  const r = stageStats(main.stages.ourRestore);
  const p = stageStats(main.stages.pgRestore);
  const out: Target[] = [];
  if (e && d) {
    out.push(
      ratioTarget('export wall time', e.opMs, d.opMs, LIMITS.exportWall, `${s(e.opMs)} / ${s(d.opMs)}`),
    );
    if (e.backendCpuMs !== null)
      out.push(
        ratioTarget(
          'export CPU (process + backends)',
          cpuTotal(e),
          cpuTotal(d),
          LIMITS.exportCpu,
          `${s(cpuTotal(e))} / ${s(cpuTotal(d))}`,
        ),
      );
  }
  if (e && h)
    out.push(
      ratioTarget(
        'export over HTTP against the engine',
        h.opMs,
        e.opMs,
        LIMITS.httpOverEngine,
        `${s(h.opMs)} / ${s(e.opMs)}`,
      ),
    );
  if (r && p) {
    out.push(
      ratioTarget('restore wall time', r.opMs, p.opMs, LIMITS.restoreWall, `${s(r.opMs)} / ${s(p.opMs)}`),
    );
    if (r.backendCpuMs !== null)
      out.push(
        ratioTarget(
          'restore CPU (process + backends)',
          cpuTotal(r),
          cpuTotal(p),
          LIMITS.restoreCpu,
          `${s(cpuTotal(r))} / ${s(cpuTotal(p))}`,
        ),
      );
  }
  if (e && d)
    out.push(
      ratioTarget(
        'archive size against the dump',
        e.bytes,
        d.bytes,
        LIMITS.archive,
        `${(e.bytes / MB).toFixed(1)} MB / ${(d.bytes / MB).toFixed(1)} MB`,
      ),
    );
  if (e) out.push(rssTarget('peak RSS, export process', e.maxRssKb, LIMITS.processRssMb));
  if (r) out.push(rssTarget('peak RSS, restore process', r.maxRssKb, LIMITS.processRssMb));
  if (h) out.push(rssTarget('peak RSS, server during an HTTP export', h.maxRssKb, LIMITS.serverRssMb));
  if (e?.ttfbMs != null)
    out.push({
      what: 'time to first byte of the export',
      figure: `${Math.round(e.ttfbMs)} ms`,
      target: '≤ 1 s',
      met: e.ttfbMs <= LIMITS.firstByteMs,
    });
  return out;
}

const perRowUs = (st: StageStats, rows: number) => (st.opMs * 1000) / rows;

/** Time per row at the largest size against the main one, and peak RSS from 10,000 invoices up. */
function scalingTargets(sizes: SizeResult[], main: SizeResult): Target[] {
  const largest = sizes.at(-1);
  const out: Target[] = [];
  if (largest && largest.invoices > main.invoices) {
    for (const [what, key] of [
      ['export', 'ourExport'],
      ['restore', 'ourRestore'],
    ] as const) {
      const big = stageStats(largest.stages[key]);
      const ref = stageStats(main.stages[key]);
      if (!big || !ref) continue;
      const a = perRowUs(big, largest.rows);
      const b = perRowUs(ref, main.rows);
      out.push({
        what: `${what} time per row, ${int(largest.invoices)} against ${int(main.invoices)} invoices`,
        figure: `${a.toFixed(1)} µs / ${b.toFixed(1)} µs: ${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(0)} %`,
        target: `within ${LIMITS.perRowDrift * 100} %`,
        met: Math.abs(a - b) / b <= LIMITS.perRowDrift,
      });
    }
  }
  const measured = sizes.filter((size) => size.invoices >= 10_000);
  if (measured.length > 1) {
    for (const [what, key] of [
      ['export', 'ourExport'],
      ['restore', 'ourRestore'],
    ] as const) {
      const peaks = measured.map((size) => stageStats(size.stages[key])?.maxRssKb ?? 0);
      const first = peaks[0]!;
      const last = peaks.at(-1)!;
      out.push({
        what: `${what} peak RSS flat, ${int(measured[0]!.invoices)} to ${int(measured.at(-1)!.invoices)} invoices`,
        figure: peaks.map(rss).join(' → '),
        target: `largest ≤ smallest + ${LIMITS.rssFlat * 100} %, each ≤ ${LIMITS.processRssMb} MB`,
        met:
          first > 0 &&
          last <= first * (1 + LIMITS.rssFlat) &&
          peaks.every((kb) => (kb * 1024) / MB <= LIMITS.processRssMb),
      });
    }
  }
  return out;
}

/** PGlite against PostgreSQL on an organization of the same size. */
function pgliteTargets(pglite: SizeResult, postgres: SizeResult | undefined): Target[] {
  const out: Target[] = [];
  for (const [what, key, limit] of [
    ['export', 'ourExport', LIMITS.pgliteExport],
    ['restore', 'ourRestore', LIMITS.pgliteRestore],
  ] as const) {
    const ours = stageStats(pglite.stages[key]);
    const pg = postgres ? stageStats(postgres.stages[key]) : null;
    const what2 = `PGlite ${what} of ${int(pglite.invoices)} invoices against PostgreSQL`;
    if (!ours || !pg) {
      out.push({
        what: what2,
        figure: 'no PostgreSQL run of that size',
        target: `≤ ${x(limit)}`,
        met: null,
      });
      continue;
    }
    out.push(ratioTarget(what2, ours.opMs, pg.opMs, limit, `${s(ours.opMs)} / ${s(pg.opMs)}`));
  }
  return out;
}

export function allTargets(sizes: SizeResult[], mainInvoices: number): Target[] {
  const pg = sizes.filter((size) => size.backend === 'postgres').sort((a, b) => a.invoices - b.invoices);
  const main = pg.find((size) => size.invoices === mainInvoices);
  const out: Target[] = [];
  if (main) out.push(...mainTargets(main), ...scalingTargets(pg, main));
  for (const size of sizes.filter((r) => r.backend === 'pglite'))
    out.push(
      ...pgliteTargets(
        size,
        pg.find((p) => p.invoices === size.invoices),
      ),
    );
  return out;
}

export const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'not met');

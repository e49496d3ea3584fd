// The options of `npm run bench`, read and checked once.

import { parseArgs } from 'node:util';

const HELP = `Usage: npm run bench -- [options]

  --invoices N          main organization size on PostgreSQL, measured in full (HTTP
                        export, profile, floors; default 100000)
  --scale A,B           other sizes for the scaling table (default 10000,1000000; "" for
                        none)
  --scale-reps R        repetitions of the sizes above --invoices (default 1: a
                        1,000,000-invoice organization takes about 2 minutes per
                        repetition of export, dump, restore and pg_restore)
  --pglite-invoices N   organization size on PGlite (default 100000, beside PostgreSQL's
                        figures of the same size; 0 to skip PGlite)
  --backend B           postgres, pglite or both (default both); citus: the Citus run alone
                        (export and restore on the cluster beside one PostgreSQL, and
                        --concurrent restores at once against one after another), written to
                        the "Citus" section of the report
  --citus-url URL       coordinator URL of a throwaway Citus database (default
                        $HISAABO_BENCH_CITUS_URL); the organizations the run makes stay there
  --concurrent N        organizations restored at once in the Citus run (default 4; 1 skips)
  --reps R              repetitions of every measurement; the median is reported (default 3)
  --quick               a smoke run: 2000 invoices, scale 500, PGlite 500, no profile,
                        report printed (written only with --out)
  --pg-url URL          admin URL of the PostgreSQL server (default $BENCH_DATABASE_URL or
                        postgres://postgres@127.0.0.1:5432/postgres); benchmark databases are
                        created there and dropped at the end
  --out FILE            where to write the report (default docs/benchmarks.md; "-" prints it)
  --json FILE           also write the raw figures as JSON
  --no-http             skip the export over HTTP
  --no-profile          skip the CPU profile and the floor measurements
  --keep-seeds          keep each seeded PostgreSQL organization as a database named by
                        its size and a hash of the demo generator and migrations, and
                        reuse it in later runs (seeding a million invoices takes longer
                        than the rest of the run; drop hisaabo_bench_seed_* to free it)
  --keep                keep the work directory (archives, dumps, profiles)
`;

export interface Options {
  invoices: number;
  scale: number[];
  pgliteInvoices: number;
  backends: ('postgres' | 'pglite')[];
  citus: boolean;
  citusUrl: string | null;
  concurrent: number;
  reps: number;
  scaleReps: number;
  pgUrl: string;
  out: string | null;
  json: string | null;
  http: boolean;
  profile: boolean;
  keep: boolean;
  keepSeeds: boolean;
  quick: boolean;
}

export function options(): Options {
  const { values } = parseArgs({
    options: {
      invoices: { type: 'string' },
      scale: { type: 'string' },
      'pglite-invoices': { type: 'string' },
      backend: { type: 'string', default: 'both' },
      reps: { type: 'string' },
      'scale-reps': { type: 'string' },
      quick: { type: 'boolean', default: false },
      'pg-url': { type: 'string' },
      'citus-url': { type: 'string' },
      concurrent: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'string' },
      'no-http': { type: 'boolean', default: false },
      'no-profile': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'keep-seeds': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const int = (text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < 0) throw new Error(`not a whole number: ${text}`);
    return n;
  };
  const backend = values.backend ?? 'both';
  if (!['postgres', 'pglite', 'both', 'citus'].includes(backend))
    throw new Error(`unknown backend ${backend}`);
  const scaleText = values.scale ?? (quick ? '500' : '10000,1000000');
  const out = values.out ?? (quick ? null : 'docs/benchmarks.md');
  return {
    invoices: int(values.invoices, quick ? 2000 : 100_000),
    scale: scaleText
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((s) => int(s.trim(), 0)),
    pgliteInvoices: int(values['pglite-invoices'], quick ? 500 : 100_000),
    backends:
      backend === 'both'
        ? ['postgres', 'pglite']
        : backend === 'citus'
          ? []
          : [backend as 'postgres' | 'pglite'],
    citus: backend === 'citus',
    citusUrl: values['citus-url'] ?? process.env.HISAABO_BENCH_CITUS_URL ?? null,
    concurrent: Math.max(1, int(values.concurrent, 4)),
    reps: Math.max(1, int(values.reps, 3)),
    scaleReps: Math.max(1, int(values['scale-reps'], 1)),
    pgUrl:
      values['pg-url'] ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    out: out === '-' ? null : out,
    json: values.json ?? null,
    http: !values['no-http'],
    profile: !values['no-profile'] && !quick,
    keep: values.keep ?? false,
    keepSeeds: values['keep-seeds'] ?? false,
    quick,
  };
}

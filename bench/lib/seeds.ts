// Seeded source databases kept between runs (`--keep-seeds`). Seeding a million invoices takes far
// longer than exporting them, and the generator is deterministic: the same generator, migrations,
// seed and size give the same rows. So a kept database is named by a hash of exactly those, and a
// change to any of them names a different database (the old one is simply never used again).

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './measure.ts';
import type { PgServer } from './pg.ts';

/** What the seed step reported, kept as the database's comment. */
export interface SeedRecord {
  tenantId: string;
  seedMs: number;
  rows: Record<string, number>;
}

/** The sources that decide what a seed contains: the demo generator and the migrations. */
const SEED_SOURCES = ['packages/domain/src/demo', 'packages/db/drizzle'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Short hash of the generator and migrations (paths and contents). */
export function seedSourcesHash(): string {
  const hash = createHash('sha256');
  for (const root of SEED_SOURCES) {
    for (const file of filesUnder(path.join(REPO_ROOT, root))) {
      hash.update(path.relative(REPO_ROOT, file));
      hash.update('\0');
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, 10);
}

/** The kept database's name for this size and seed. */
export function keptSeedName(invoices: number, seed: number): string {
  return `hisaabo_bench_seed_${invoices}_s${seed}_${seedSourcesHash()}`;
}

/** The record of a kept, complete seed, or null when there is none (or it never finished). */
export async function findKeptSeed(server: PgServer, name: string): Promise<SeedRecord | null> {
  const [row] = await server.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = '${name}'`,
  );
  if (!row) return null;
  try {
    const record = JSON.parse(row.comment ?? '') as SeedRecord;
    return typeof record.tenantId === 'string' ? record : null;
  } catch {
    return null;
  }
}

/** Marks a seeded database complete: only then is it reused. */
export async function markSeedKept(server: PgServer, name: string, record: SeedRecord): Promise<void> {
  const text = JSON.stringify(record).replaceAll("'", "''");
  await server.query(`COMMENT ON DATABASE ${name} IS '${text}'`);
}

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { connect, type Database } from './connect.ts';
import { migrate } from './migrate.ts';
import { databaseUrl, openMigratedPglite, postgresTemplate, withAdmin } from './testing-templates.ts';

export { copyMigratedDataDir } from './testing-templates.ts';

/**
 * Test support: the database backends every database suite runs against. PGlite always; a real
 * PostgreSQL server too when TEST_DATABASE_URL is set; a Citus cluster too when TEST_CITUS=1, or only
 * it with TEST_CITUS=only (the test cluster of `../shared/citus/cluster.sh` beside the repository,
 * already started). Each
 * call makes a fresh, migrated database of its own, so no suite depends on another's data: on PGlite
 * and PostgreSQL a copy of a migrated template, built once per schema (testing-templates.ts).
 */
export interface TestBackend {
  readonly kind: 'pglite' | 'postgres' | 'citus';
  /** A fresh migrated database; `close()` also drops it (PostgreSQL). */
  create(): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** The connection string of this database (PostgreSQL only), for child processes. */
  readonly url?: string;
}

export function testBackends(): TestBackend[] {
  const citus: TestBackend = { kind: 'citus', create: createCitusDatabase };
  // TEST_CITUS=only: the Citus pass of CI, after the suites already ran on PGlite and PostgreSQL.
  if (process.env.TEST_CITUS === 'only') return [citus];
  const backends: TestBackend[] = [{ kind: 'pglite', create: createPgliteDatabase }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) backends.push({ kind: 'postgres', create: () => createPostgresDatabase(url) });
  if (process.env.TEST_CITUS === '1') backends.push(citus);
  return backends;
}

/** A fresh in-memory PGlite database, a copy of the migrated template (see testing-templates.ts). */
export async function createPgliteDatabase(): Promise<TestDatabase> {
  return openMigratedPglite();
}

/**
 * Creates `hisaabo_test_<random>` on the server of `adminUrl` as a copy of the migrated template
 * database; dropped on close.
 */
export async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const template = await postgresTemplate(adminUrl);
  const name = `hisaabo_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = databaseUrl(adminUrl, name);
  const database = await connect({ databaseUrl: url, maxConnections: 8 });
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * The test cluster's script: `$HISAABO_CITUS_CLUSTER` (which `.ci/run` sets, also for a clone made
 * elsewhere), else `shared/citus/cluster.sh` beside the repository.
 */
export const CITUS_CLUSTER_SCRIPT =
  process.env.HISAABO_CITUS_CLUSTER ||
  fileURLToPath(new URL('../../../../shared/citus/cluster.sh', import.meta.url));

const run = promisify(execFile);

/**
 * Creating and dropping databases on the cluster one process at a time: two `newdb` at once race
 * on Citus' node metadata ("tuple concurrently updated") when test files start together.
 */
const CLUSTER_LOCK = join(tmpdir(), 'hisaabo-citus-cluster.lock');
const cluster = (...args: string[]) => run('flock', [CLUSTER_LOCK, CITUS_CLUSTER_SCRIPT, ...args]);

/**
 * A fresh database on the test Citus cluster (Citus on every node, workers added), migrated, which
 * lays out the distributed layout; dropped on every node on close. Four shards per table instead of
 * 32 keep the per-suite layout quick; organizations still spread over both workers.
 */
export async function createCitusDatabase(): Promise<TestDatabase> {
  const name = `hisaabo_citus_${randomBytes(6).toString('hex')}`;
  const { stdout } = await cluster('newdb', name);
  const url = stdout.trim().split('\n').at(-1)!;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} SET citus.shard_count = 4`);
  } finally {
    await admin.end();
  }
  const database = await connect({ databaseUrl: url, maxConnections: 8 });
  await migrate(database);
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await cluster('dropdb', name);
    },
  };
}

/** True when the Citus suites run (TEST_CITUS=1 or only). */
export const citusTestsEnabled = (): boolean => testBackends().some((b) => b.kind === 'citus');

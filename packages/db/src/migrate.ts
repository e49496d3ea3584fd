import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { hasCitus } from './citus-layout.ts';
import { migrateOnCitus } from './citus-migrate.ts';
import type { Database } from './connect.ts';
import { queryRows } from './query.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** The schema version is the number of migrations this code knows: it rises by one per migration. */
export const SCHEMA_VERSION: number = (
  JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as Journal
).entries.length;

// Any constant works; it only has to be the same for every process of this application.
const MIGRATION_LOCK_KEY = 7_281_004_311;

/**
 * Applies pending migrations. Safe when several server processes start at once on one PostgreSQL. On
 * a database with the citus extension it also lays out the distributed layout (see citus-layout.ts).
 */
export async function migrate(
  database: Database,
  migrationsFolder: string = MIGRATIONS_FOLDER,
): Promise<void> {
  if (database.driver.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  const client = await database.driver.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    if (await hasCitus(client)) await migrateOnCitus(client, migrationsFolder);
    else await migrateNodePg(database.db as unknown as NodePgDatabase, { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}

/** How many migrations the database has applied (0 for a fresh database). */
export async function appliedSchemaVersion(database: Database): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    database.db,
    sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`,
  );
  return Number(rows[0]?.n ?? 0);
}

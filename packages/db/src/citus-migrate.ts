import { readMigrationFiles } from 'drizzle-orm/migrator';
import type pg from 'pg';
import { assertCoordinatorInMetadata, hasDistributedTables, layOutCitus } from './citus-layout.ts';

// Migration on Citus. Drizzle's migrator runs each migration's statements in order, but Citus refuses
// a foreign key from a plain table to a distributed one, so a migration that creates an organization
// table and then adds its foreign keys would fail. This runner is Drizzle's, statement for statement
// and with the same bookkeeping table (so a database can move between the two), and then lays out the
// distributed layout. Once tables are distributed, it lays it out right after every CREATE TABLE too:
// the new table is distributed before any foreign key to or from it is added. (On a fresh database
// the whole schema is created locally first and distributed once at the end: much faster than table
// by table.)

const CREATE_TABLE = /^\s*CREATE\s+TABLE\b/i;

export async function migrateOnCitus(client: pg.ClientBase, migrationsFolder: string): Promise<void> {
  await assertCoordinatorInMetadata(client);
  await client.query('CREATE SCHEMA IF NOT EXISTS drizzle');
  await client.query(`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
    id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
  const { rows } = await client.query<{ created_at: string }>(
    'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1',
  );
  const last = rows[0] ? Number(rows[0].created_at) : null;
  await client.query('BEGIN');
  try {
    // DDL on tables tied to a reference table by foreign keys must not open parallel connections
    // within one transaction.
    await client.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
    const layOutEachTable = await hasDistributedTables(client);
    for (const migration of readMigrationFiles({ migrationsFolder })) {
      if (last !== null && last >= migration.folderMillis) continue;
      for (const statement of migration.sql) {
        await client.query(statement);
        if (layOutEachTable && CREATE_TABLE.test(statement)) await layOutCitus(client);
      }
      await client.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', [
        migration.hash,
        migration.folderMillis,
      ]);
    }
    // Idempotent: also finishes the layout of a database migrated before Citus was installed.
    await layOutCitus(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

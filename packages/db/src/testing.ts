import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type Database } from './connect.ts';
import { migrate } from './migrate.ts';

/**
 * Test support: the database backends every database suite runs against. PGlite always; a real
 * PostgreSQL server too when TEST_DATABASE_URL is set. Each call makes a fresh, migrated database of
 * its own, so no suite depends on another's data.
 */
export interface TestBackend {
  readonly kind: 'pglite' | 'postgres';
  /** A fresh migrated database; `close()` also drops it (PostgreSQL). */
  create(): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** The connection string of this database (PostgreSQL only), for child processes. */
  readonly url?: string;
}

export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [{ kind: 'pglite', create: createPgliteDatabase }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) backends.push({ kind: 'postgres', create: () => createPostgresDatabase(url) });
  return backends;
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  const database = await connect({ dataDir: 'memory://' });
  await migrate(database);
  return database;
}

/** Creates `hisaabo_test_<random>` on the server of `adminUrl`, migrated; dropped on close. */
export async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `hisaabo_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await connect({ databaseUrl: url.toString(), maxConnections: 8 });
  await migrate(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

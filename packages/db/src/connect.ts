import path from 'node:path';
// Types only: the PGlite module (its WebAssembly build and Drizzle's driver for it) is imported when
// an embedded database is opened, so a process on a PostgreSQL server never loads it.
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { type DataDirectoryLock, lockDataDirectory } from './data-dir-lock.ts';
import * as schema from './schema/index.ts';

/** The typed Drizzle handle: the same type whichever backend is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The driver beneath the handle, for the few paths that stream (cursors, COPY). */
export type Driver = { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; pool: pg.Pool };

export interface Database {
  db: Db;
  driver: Driver;
  kind: Driver['kind'];
  /** Where the data lives, without credentials: a directory, 'memory://', or host/database. */
  location: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres://… to use a PostgreSQL server; otherwise the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Directory for PGlite's files; 'memory://' for a throwaway in-memory database. */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
}

/** Every session works in UTC with ISO dates, so instants and dates read back identically everywhere. */
const SESSION_SETTINGS = '-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601';

export async function connect(options: ConnectOptions = {}): Promise<Database> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options.maxConnections ?? 10);
  return connectPglite(options.dataDir ?? defaultPgliteDir());
}

/** `$HISAABO_DATA_DIR/pglite`, by default `./data/pglite`. */
export function defaultPgliteDir(): string {
  return pgliteDirectoryIn(dataDirectory());
}

/** The embedded database's own folder inside a data directory: the one place that names it. */
export function pgliteDirectoryIn(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'pglite');
}

export function dataDirectory(): string {
  return path.resolve(process.env.HISAABO_DATA_DIR ?? 'data');
}

async function connectPostgres(url: string, max: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, options: SESSION_SETTINGS });
  // An idle client that errors (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  const parsed = new URL(url);
  return {
    db,
    driver: { kind: 'postgres', pool },
    kind: 'postgres',
    location: `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`,
    close: () => pool.end(),
  };
}

async function connectPglite(dataDir: string): Promise<Database> {
  // The lock comes first: a second process is refused before it opens (or creates) anything.
  const lock: DataDirectoryLock | undefined = dataDir.startsWith('memory://')
    ? undefined
    : await lockDataDirectory(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const client = await PGlite.create(dataDir);
    return await databaseOnPglite(client, dataDir, lock);
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/**
 * The handle over an open PGlite instance, sessions set as every connection sets them. Separate so
 * that an instance started another way (the test support loads a migrated copy) gets the same handle.
 */
export async function databaseOnPglite(
  client: PGlite,
  location: string,
  lock?: DataDirectoryLock,
): Promise<Database> {
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  await client.exec(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601';`);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let closed: Promise<void> | undefined;
  return {
    db,
    driver: { kind: 'pglite', client },
    kind: 'pglite',
    location,
    // The directory is freed only once PGlite has flushed and closed its files.
    close: () => {
      closed ??= client.close().finally(() => lock?.release());
      return closed;
    },
  };
}

/** Connection options from the environment: DATABASE_URL wins, else PGlite in the data directory. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectOptions {
  return env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: defaultPgliteDir() };
}

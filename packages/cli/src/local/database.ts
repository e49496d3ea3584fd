import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '@hisaabo/db';
import { CliError, usageError } from '../errors.ts';
import type { LocalFlags } from '../options.ts';

export interface LocalTenant {
  id: string;
  slug: string;
  name: string;
}

/**
 * Opens the instance's database directly (operator mode): PostgreSQL from --database-url /
 * DATABASE_URL, else the embedded database under --data-dir / HISAABO_DATA_DIR (default ./data).
 * The embedded database admits one process: the server using that directory must be stopped.
 */
export async function openLocalDatabase(flags: LocalFlags): Promise<Database> {
  const { connect, appliedSchemaVersion, SCHEMA_VERSION, pgliteDirectoryIn } = await import('@hisaabo/db');
  let database: Database;
  if (flags.databaseUrl) {
    database = await connect({ databaseUrl: flags.databaseUrl, maxConnections: 4 }).catch((error: Error) => {
      throw new CliError('network_error', `cannot connect to the database: ${error.message}`);
    });
  } else {
    const dataDir = path.resolve(flags.dataDir ?? 'data');
    const pgliteDir = pgliteDirectoryIn(dataDir);
    // Opening a missing directory would silently create an empty database; say where we looked instead.
    if (!existsSync(path.join(pgliteDir, 'PG_VERSION'))) {
      throw usageError(
        `no Hisaabo database in ${dataDir}`,
        "pass the server's data directory with --data-dir (or HISAABO_DATA_DIR), or a PostgreSQL URL with --database-url",
      );
    }
    database = await connect({ dataDir: pgliteDir }).catch((error: Error) => {
      throw openFailure(error);
    });
  }
  try {
    const applied = await appliedSchemaVersion(database);
    if (applied !== SCHEMA_VERSION) {
      throw usageError(
        `the database at ${database.location} is at schema version ${applied}, this hisaabo expects ${SCHEMA_VERSION}`,
        applied < SCHEMA_VERSION
          ? 'apply the migrations first: `hisaabo db migrate`'
          : 'use the hisaabo version that matches the server',
      );
    }
  } catch (error) {
    await database.close();
    if (error instanceof CliError) throw error;
    throw new CliError(
      'server_error',
      `cannot read the database at ${database.location}: ${(error as Error).message}`,
    );
  }
  return database;
}

/**
 * Why the embedded database could not be opened, as the user can act on it: a directory held by
 * another process (the running server, most often) exits 5 with the holder named.
 */
export function openFailure(error: Error): CliError {
  if (error.name === 'DataDirectoryBusyError') {
    return new CliError('database_busy', error.message, {
      hint: 'stop the server that uses this directory, or run the command against it without --local',
    });
  }
  return new CliError('network_error', `cannot open the database: ${error.message}`);
}

/** The organization named by slug or id, straight from the tenants table. */
export async function findLocalTenant(database: Database, ref: string): Promise<LocalTenant> {
  const { tenants } = await import('@hisaabo/db');
  const { eq, or } = await import('drizzle-orm');
  const wanted = ref.trim();
  const looksLikeId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(wanted);
  const [row] = await database.db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, status: tenants.status })
    .from(tenants)
    .where(
      looksLikeId
        ? or(eq(tenants.id, wanted.toLowerCase()), eq(tenants.slug, wanted))
        : eq(tenants.slug, wanted),
    )
    .limit(1);
  if (!row || row.status === 'deleted') {
    throw new CliError(
      'not_found',
      `organization ${wanted} not found in the database at ${database.location}`,
      {
        hint: 'list them with `hisaabo tenant list` against the running server, or check --data-dir / --database-url',
      },
    );
  }
  return row;
}

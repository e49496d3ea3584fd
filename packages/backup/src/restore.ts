import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import {
  type Database,
  type Session,
  TENANT_LOCK_SQL,
  inTransaction,
  tablesWithRows,
  tenantLockKey,
} from '@hisaabo/db';
import { OpenedArchive } from './archive-walker.ts';
import { uuidLiteral } from './encode.ts';
import type { Compatibility } from './compatibility.ts';
import { asArchiveError } from './database-refusal.ts';
import { BackupError, type BackupWarning, invalidArchive } from './errors.ts';
import { checkForeignKeys, deferForeignKeysToCommit } from './integrity.ts';
import { RestoreLineStage } from './line-stage.ts';
import { RECURRING_TABLE } from './line-work.ts';
import { TableLoader } from './loader.ts';
import { CURRENT_SCHEMA_VERSION, KNOWN_SCHEMA_CHECKSUMS } from './schema-versions.ts';
import { liveTableDefs, schemaChecksum } from './table-defs.ts';

export interface RestoreOptions {
  /** Restore recurring invoice templates paused (a test copy must not bill customers too). */
  pauseRecurring?: boolean;
  /** Decompressed bytes allowed (gzip-bomb guard). */
  maxArchiveBytes?: number;
  maxLineBytes?: number;
  onProgress?: (progress: { table: string; rows: number }) => void;
  /**
   * Bytes of table lines read on the calling thread before the parsing, validation and encoding
   * move to a worker thread (docs/architecture.md, "Restore pipeline"): below it a restore never
   * starts a thread. 0: the worker reads every line; Infinity: never a worker. Default: 64 MiB on a
   * machine with more than two cores, else never (defaultWorkerAfterBytes).
   */
  workerAfterBytes?: number;
}

export interface RestoreSource {
  instanceId: string;
  tenantId: string;
  slug: string;
  name: string;
  exportedAt: string;
  appVersion: string;
  schemaVersion: number;
}

export interface RestoreReport {
  rowsInserted: Record<string, number>;
  warnings: BackupWarning[];
  durationMs: number;
  source: RestoreSource;
  compatibility: Compatibility;
  pausedRecurringTemplates: number;
}

/** Progress is reported about every this many rows of a table (and at its end). */
const PROGRESS_EVERY_ROWS = 5000;
/**
 * Table lines read on the calling thread before a worker takes over. Starting a thread costs more
 * than the work it takes off a small restore (docs/architecture.md, "Restore pipeline").
 */
export const DEFAULT_WORKER_AFTER_BYTES = 64 * 1024 * 1024;

/**
 * The default threshold on a machine with `cores` cores. With two, the reading thread, the worker and
 * the database share them: measured on 100,000 invoices, the worker gave the same wall time for
 * 1.1 to 1.5 s more CPU and 28 MB more memory, so a machine with fewer than three cores keeps one
 * thread.
 */
export function defaultWorkerAfterBytes(cores: number): number {
  return cores > 2 ? DEFAULT_WORKER_AFTER_BYTES : Number.POSITIVE_INFINITY;
}

/**
 * Restores an archive into an empty organization, in one transaction: the organization's row is
 * locked first and its emptiness checked under that lock; every check of docs/backup-format.md runs
 * before commit, and any failure leaves the organization exactly as it was (empty).
 */
export async function restoreTenant(
  database: Database,
  targetTenantId: string,
  input: Readable,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const started = performance.now();
  const tenant = targetTenantId.toLowerCase();
  uuidLiteral(tenant);
  const live = await liveTableDefs(database.db);
  const liveChecksum = schemaChecksum(live);
  if (liveChecksum !== KNOWN_SCHEMA_CHECKSUMS[CURRENT_SCHEMA_VERSION]) {
    throw new Error(
      `the database schema (${liveChecksum}) is not the one of schema version ${CURRENT_SCHEMA_VERSION}: apply the migrations first`,
    );
  }

  const archive = await OpenedArchive.open(input, {
    maxArchiveBytes: options.maxArchiveBytes,
    maxLineBytes: options.maxLineBytes,
  });
  const { manifest, plan } = archive;
  const rowsInserted: Record<string, number> = {};
  let paused = 0;

  try {
    await inTransaction(database, 'write', async (session) => {
      await lockEmptyTarget(session, tenant);
      const deferred = await deferForeignKeysToCommit(session);
      // The walk closes the stage, however it ends.
      const stage = await RestoreLineStage.create(
        plan,
        { tenantId: tenant, pauseRecurring: Boolean(options.pauseRecurring), selfReferencesInline: deferred },
        options.workerAfterBytes ?? defaultWorkerAfterBytes(availableParallelism()),
      );
      let loader: TableLoader | null = null;
      try {
        await archive.readTables(
          {
            startTable(table) {
              loader = new TableLoader(session, tenant, table);
            },
            rows(table, batch) {
              const before = loader!.inserted;
              const pending = loader!.add(batch);
              paused += batch.paused;
              if (
                Math.floor(before / PROGRESS_EVERY_ROWS) < Math.floor(loader!.inserted / PROGRESS_EVERY_ROWS)
              ) {
                options.onProgress?.({ table: table.name, rows: loader!.inserted });
              }
              return pending;
            },
            async endTable(table) {
              await loader!.finish();
              rowsInserted[table.name] = loader!.inserted;
              options.onProgress?.({ table: table.name, rows: loader!.inserted });
            },
          },
          stage,
        );
      } catch (error) {
        // A table's COPY may still be open: give it up first, or the connection cannot roll back.
        await (loader as TableLoader | null)?.abort();
        throw error;
      }
      if (deferred) {
        const dangling = await checkForeignKeys(session, tenant);
        if (dangling.length > 0) throw invalidArchive(dangling);
      }
    });
  } catch (error) {
    archive.abandon();
    throw asArchiveError(error);
  }

  const warnings: BackupWarning[] = [];
  for (const table of manifest.tables) {
    for (const [column, reason] of Object.entries(table.redacted ?? {})) {
      warnings.push({ table: table.name, message: `${column} is not in backups (${reason})` });
    }
  }
  for (const upgrade of plan.compatibility.upgrades)
    warnings.push({ message: `archive upgraded: ${upgrade}` });
  if (!plan.compatibility.appVersionMatch) {
    warnings.push({
      message: `the archive was written by Hisaabo ${manifest.appVersion}; this server is ${plan.compatibility.targetAppVersion}`,
    });
  }
  if (paused > 0) {
    warnings.push({ table: RECURRING_TABLE, message: `${paused} recurring template(s) restored paused` });
  }
  return {
    rowsInserted,
    warnings,
    durationMs: Math.round(performance.now() - started),
    source: {
      instanceId: manifest.source.instanceId,
      tenantId: manifest.source.tenantId,
      slug: manifest.source.slug,
      name: manifest.source.name,
      exportedAt: manifest.exportedAt,
      appVersion: manifest.appVersion,
      schemaVersion: manifest.schemaVersion,
    },
    compatibility: plan.compatibility,
    pausedRecurringTemplates: paused,
  };
}

/**
 * Locks the organization (business creation takes the same lock, so neither a business nor a second
 * restore can slip in) and checks, under the lock, that no organization table has a row.
 */
async function lockEmptyTarget(session: Session, tenant: string): Promise<void> {
  await session.query(TENANT_LOCK_SQL, [tenantLockKey(tenant)]);
  const locked = await session.query<{ id: string }>('SELECT id FROM tenants WHERE id = $1', [tenant]);
  if (locked.length === 0) throw new BackupError('TENANT_NOT_FOUND', `organization ${tenant} does not exist`);
  const used = await tablesWithRows(session, tenant);
  if (used.length > 0) {
    throw new BackupError(
      'TARGET_NOT_EMPTY',
      `the organization is not empty (it has ${used.join(', ')}); restore needs an empty organization`,
    );
  }
}

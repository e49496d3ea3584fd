import { and, eq, ne } from 'drizzle-orm';
import { backupSchedules, storedBackups, tenants, type Database } from '@hisaabo/db';
import type { Logger } from '../../logger.ts';
import { startPassTimer, type PassTimer } from '../../timer.ts';
import { startStoredBackup, type StoredBackupOutcome } from './run.ts';
import { dueSlot } from './schedule.ts';
import type { StoredBackupSettings } from './settings.ts';

/**
 * `runOnce` is one pass now: it starts the due runs this process has room for and resolves when they
 * are finished. `stop` also waits for runs a failed pass had already started.
 */
export type BackupScheduler = PassTimer<StoredBackupOutcome[]>;

export interface BackupSchedulerOptions {
  intervalMs?: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * Runs the organizations' automatic backups. Every process runs its own timer; a slot is claimed in
 * the database (the unique organization + slot of `stored_backups`), so each runs once whatever the
 * number of servers. A process claims only as many as it can start at once (HISAABO_BACKUP_CONCURRENCY).
 */
export function startBackupScheduler(
  database: Database,
  settings: StoredBackupSettings,
  options: BackupSchedulerOptions,
): BackupScheduler {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const inFlight = new Set<Promise<StoredBackupOutcome | undefined>>();

  const pass = async (): Promise<StoredBackupOutcome[]> => {
    const { db } = database;
    const schedules = await db
      .select({
        tenantId: backupSchedules.tenantId,
        frequency: backupSchedules.frequency,
        hour: backupSchedules.hour,
        keep: backupSchedules.keep,
        recipients: backupSchedules.recipients,
        updatedAt: backupSchedules.updatedAt,
      })
      .from(backupSchedules)
      .innerJoin(tenants, eq(tenants.id, backupSchedules.tenantId))
      .where(and(ne(backupSchedules.frequency, 'off'), eq(tenants.status, 'active')));
    const runs: Promise<StoredBackupOutcome | undefined>[] = [];
    for (const schedule of schedules) {
      const slot = dueSlot(schedule, now());
      if (!slot || (await slotTaken(database, schedule.tenantId, slot))) continue;
      const release = settings.limit.tryAcquire();
      if (!release) break;
      const run = startStoredBackup(
        database,
        settings,
        {
          tenantId: schedule.tenantId,
          trigger: 'schedule',
          slot,
          keep: schedule.keep,
          recipients: schedule.recipients,
        },
        logger,
      )
        .then((started) => started?.done)
        .catch((error: unknown) => {
          logger.error('automatic backup could not start', { tenantId: schedule.tenantId, error });
          return undefined;
        })
        .finally(release);
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      runs.push(run);
    }
    const outcomes = await Promise.all(runs);
    return outcomes.filter((o): o is StoredBackupOutcome => o !== undefined);
  };

  const timer = startPassTimer({
    pass,
    onError: (error): StoredBackupOutcome[] => {
      logger.error('backup scheduler pass failed', { error });
      return [];
    },
    intervalMs: options.intervalMs ?? 60_000,
    firstPassWithinMs: 10_000,
  });
  return {
    runOnce: timer.runOnce,
    async stop() {
      await Promise.all([timer.stop(), ...inFlight]);
    },
  };
}

/** A cheap look before claiming, so a pass does not record a run for a slot already done. */
async function slotTaken(database: Database, tenantId: string, slot: Date): Promise<boolean> {
  const [row] = await database.db
    .select({ id: storedBackups.id })
    .from(storedBackups)
    .where(and(eq(storedBackups.tenantId, tenantId), eq(storedBackups.slot, slot.toISOString())))
    .limit(1);
  return row !== undefined;
}

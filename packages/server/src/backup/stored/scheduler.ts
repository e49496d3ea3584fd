import { and, eq, ne } from 'drizzle-orm';
import { backupSchedules, storedBackups, tenants, type Database } from '@hisaabo/db';
import type { Logger } from '../../logger.ts';
import { startStoredBackup, type StoredBackupOutcome } from './run.ts';
import { dueSlot } from './schedule.ts';
import type { StoredBackupSettings } from './settings.ts';

export interface BackupScheduler {
  /** One pass now: starts the due runs this process has room for; resolves when they are finished. */
  runOnce(): Promise<StoredBackupOutcome[]>;
  stop(): Promise<void>;
}

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
  const intervalMs = options.intervalMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  const inFlight = new Set<Promise<StoredBackupOutcome | undefined>>();
  let passing: Promise<StoredBackupOutcome[]> | null = null;
  let stopped = false;

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

  const runOnce = (): Promise<StoredBackupOutcome[]> => {
    if (passing) return passing;
    passing = pass()
      .catch((error: unknown) => {
        logger.error('backup scheduler pass failed', { error });
        return [];
      })
      .finally(() => {
        passing = null;
      });
    return passing;
  };

  const tick = () => {
    if (!stopped && !passing) void runOnce();
  };
  const first = setTimeout(tick, Math.min(10_000, intervalMs));
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await Promise.all([passing, ...inFlight]);
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

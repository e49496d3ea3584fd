import { intervalMs, type BackupSchedule } from './schedule.ts';
import type { StoredBackupEntry } from './store.ts';

export interface ScheduleHealth {
  lastRun: Pick<StoredBackupEntry, 'id' | 'status' | 'createdAt' | 'finishedAt' | 'error'> | null;
  lastSucceededAt: string | null;
  /** A sentence to show the owner when automatic backups need attention; null when all is well. */
  warning: string | null;
}

/**
 * Whether automatic backups are working: the last automatic run failed, or none succeeded within
 * twice the interval (once the schedule has been on that long).
 */
export function scheduleHealth(
  schedule: BackupSchedule,
  runs: readonly StoredBackupEntry[],
  now: Date = new Date(),
): ScheduleHealth {
  const automatic = runs.filter((run) => run.trigger === 'schedule');
  const last = automatic.find((run) => run.status !== 'running') ?? null;
  const succeeded = automatic.find((run) => run.status === 'verified');
  const health: ScheduleHealth = {
    lastRun: last && {
      id: last.id,
      status: last.status,
      createdAt: last.createdAt,
      finishedAt: last.finishedAt,
      error: last.error,
    },
    lastSucceededAt: succeeded?.finishedAt ?? null,
    warning: null,
  };
  if (schedule.frequency === 'off') return health;
  if (last?.status === 'failed') {
    health.warning = `The last automatic backup failed: ${last.error ?? 'no reason recorded'}`;
    return health;
  }
  const window = 2 * intervalMs(schedule.frequency);
  const since = succeeded?.finishedAt ?? schedule.updatedAt;
  if (since && now.getTime() - Date.parse(since) > window) {
    health.warning = `No automatic backup succeeded in the last ${window / 3600_000} hours${
      succeeded ? ` (the last one finished at ${succeeded.finishedAt})` : ''
    }.`;
  }
  return health;
}

import type { Database } from '@hisaabo/db';
import { type RunOutcome, runDueRecurringInvoices, todayUtc } from '@hisaabo/domain';
import { createLogger, type Logger } from './logger.ts';
import { startPassTimer, type PassTimer } from './timer.ts';

/** `runOnce` is one pass now (also what the timer calls); passes never overlap within a process. */
export type RecurringScheduler = PassTimer<RunOutcome[]>;

export interface SchedulerOptions {
  /** Time between passes; every process runs its own timer, the database decides who runs what. */
  intervalMs?: number;
  logger?: Logger;
  /** The clock, for tests. */
  now?: () => Date;
  /** False when the configuration turns schedulers off (HISAABO_SCHEDULER=off). */
  enabled?: boolean;
}

/**
 * Generates due recurring invoices in the background. Safe with any number of server processes on
 * one database: each due run is claimed with FOR UPDATE SKIP LOCKED and recorded under a unique
 * (template, run date), so it is generated exactly once. Disabled with HISAABO_SCHEDULER=off.
 */
export function startRecurringScheduler(
  database: Database,
  options: SchedulerOptions = {},
): RecurringScheduler {
  const logger = options.logger ?? createLogger({}, { component: 'scheduler' });
  const now = options.now ?? (() => new Date());
  return startPassTimer({
    pass: async () => {
      const outcomes = await runDueRecurringInvoices(database.db, { today: todayUtc(now()) });
      for (const o of outcomes) {
        const fields = {
          templateId: o.templateId,
          runDate: o.runDate,
          invoiceId: o.invoiceId,
          status: o.status,
        };
        if (o.status === 'failed') logger.warn('recurring invoice failed', { ...fields, error: o.error });
        else if (o.status === 'succeeded') logger.info('recurring invoice generated', fields);
      }
      return outcomes;
    },
    onError: (error): RunOutcome[] => {
      logger.error('recurring scheduler pass failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      return [];
    },
    intervalMs: options.intervalMs ?? 60_000,
    firstPassWithinMs: 5_000,
    enabled: options.enabled,
  });
}

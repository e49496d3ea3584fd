import type { Database } from '@hisaabo/db';
import { type RunOutcome, runDueRecurringInvoices, todayUtc } from '@hisaabo/domain';
import { createLogger, type Logger } from './logger.ts';

export interface RecurringScheduler {
  /** One pass now (also what the timer calls); passes never overlap within a process. */
  runOnce(): Promise<RunOutcome[]>;
  stop(): Promise<void>;
}

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
  const intervalMs = options.intervalMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  let running: Promise<RunOutcome[]> | null = null;
  let stopped = options.enabled === false;

  const runOnce = (): Promise<RunOutcome[]> => {
    if (running) return running;
    running = runDueRecurringInvoices(database.db, { today: todayUtc(now()) })
      .then((outcomes) => {
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
      })
      .catch((error: unknown) => {
        logger.error('recurring scheduler pass failed', {
          error: error instanceof Error ? error.message : String(error),
        });
        return [];
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const tick = () => {
    if (!stopped) void runOnce();
  };
  const first = setTimeout(tick, Math.min(5_000, intervalMs));
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

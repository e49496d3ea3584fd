import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { requireOwnerAccess } from '../backup/access.ts';
import { scheduleHealth } from '../backup/stored/health.ts';
import { startStoredBackup } from '../backup/stored/run.ts';
import { readSchedule, scheduleFields, writeSchedule } from '../backup/stored/schedule.ts';
import { storedBackupSettings } from '../backup/stored/settings.ts';
import { listStoredBackups } from '../backup/stored/store.ts';
import { protectedProcedure, router } from '../trpc.ts';
import { tenantRefInput } from '../validation.ts';

export const backupScheduleRouter = router({
  /** The organization's automatic backup schedule and whether it is working (owners only). */
  get: protectedProcedure.input(z.object({ tenantId: tenantRefInput })).query(async ({ ctx, input }) => {
    const { tenant } = await requireOwnerAccess(ctx, input.tenantId);
    const schedule = await readSchedule(ctx.db, tenant.id);
    const runs = await listStoredBackups(ctx.db, tenant.id, { limit: 50 });
    return { ...schedule, ...scheduleHealth(schedule, runs) };
  }),

  /** Sets the schedule: off, daily or weekly (Mondays) at `hour` UTC, keeping the last `keep`. */
  set: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput, ...scheduleFields }))
    .mutation(async ({ ctx, input }) => {
      const { tenant } = await requireOwnerAccess(ctx, input.tenantId);
      const { tenantId: _ref, ...schedule } = input;
      return writeSchedule(ctx.db, tenant.id, schedule);
    }),

  /**
   * Writes a stored backup now, with the schedule's `keep` and recipients (whether or not the
   * schedule is on). Returns at once; the run shows in `storedBackup.list` and the history.
   */
  runNow: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput }))
    .output(z.object({ id: z.string(), fileName: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const { tenant } = await requireOwnerAccess(ctx, input.tenantId);
      const settings = storedBackupSettings(ctx.config);
      const release = settings.limit.tryAcquire();
      if (!release) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `${settings.limit.max} backup${settings.limit.max === 1 ? ' is' : 's are'} being written on this server right now; try again in a minute`,
        });
      }
      try {
        const schedule = await readSchedule(ctx.db, tenant.id);
        const started = await startStoredBackup(
          ctx.database,
          settings,
          {
            tenantId: tenant.id,
            trigger: 'manual',
            keep: schedule.keep,
            recipients: schedule.recipients,
            userId: ctx.user.id,
          },
          ctx.logger,
        );
        // Not a scheduled slot, so it cannot be claimed already.
        if (!started) throw new Error('the run could not be recorded');
        void started.done.finally(release);
        return { id: started.id, fileName: started.fileName };
      } catch (error) {
        release();
        throw error;
      }
    }),
});

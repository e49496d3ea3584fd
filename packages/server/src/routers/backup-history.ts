import { z } from 'zod';
import { requireOwnerAccess } from '../backup/access.ts';
import { listBackupHistory } from '../backup/events.ts';
import { EXPORT_WINDOW_HOURS, EXPORTS_PER_WINDOW, exportQuota } from '../backup/export-limit.ts';
import { protectedProcedure, router } from '../trpc.ts';
import { tenantRefInput } from '../validation.ts';

export const backupHistoryRouter = router({
  /** Every export, restore and stored backup of the organization (who, when, size, rows, outcome), newest first. */
  history: protectedProcedure
    .input(
      z.object({
        tenantId: tenantRefInput,
        kind: z.enum(['export', 'restore', 'stored']).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { tenant } = await requireOwnerAccess(ctx, input.tenantId);
      const [events, quota] = await Promise.all([
        listBackupHistory(ctx.db, tenant.id, { limit: input.limit, kind: input.kind }),
        exportQuota(ctx.db, tenant.id),
      ]);
      return {
        events,
        exportLimit: {
          limit: EXPORTS_PER_WINDOW,
          windowHours: EXPORT_WINDOW_HOURS,
          used: quota.used,
          remaining: quota.remaining,
          nextAllowedAt: quota.nextAllowedAt,
        },
      };
    }),
});

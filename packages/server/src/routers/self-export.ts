import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { requireOwnerAccess } from '../backup/access.ts';
import { exportLimitMessage, exportQuota } from '../backup/export-limit.ts';
import { backupSettings, linkSigner, linkUrl } from '../backup/settings.ts';
import { issueBackupToken } from '../backup/token-store.ts';
import { protectedProcedure, router } from '../trpc.ts';
import { tenantRefInput } from '../validation.ts';

export const backupLinkOutput = z.object({
  token: z.string(),
  url: z.string(),
  expiresAt: z.string(),
});

export const selfExportRouter = router({
  /**
   * A single-use link (5 minutes) to download a full backup of an organization the caller owns.
   * The 2-per-day limit is checked here as a courtesy and enforced when the download starts.
   */
  request: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput }))
    .output(backupLinkOutput)
    .mutation(async ({ ctx, input }) => {
      const { tenant } = await requireOwnerAccess(ctx, input.tenantId);
      const quota = await exportQuota(ctx.db, tenant.id);
      if (quota.nextAllowedAt) {
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: exportLimitMessage(quota.nextAllowedAt),
        });
      }
      const link = await issueBackupToken(ctx.db, linkSigner(ctx.config), {
        purpose: 'export',
        tenantId: tenant.id,
        userId: ctx.user.id,
      });
      const url = linkUrl(backupSettings(ctx.config), `/api/export/${tenant.id}?token=${link.token}`);
      return { token: link.token, url, expiresAt: link.expiresAt };
    }),
});

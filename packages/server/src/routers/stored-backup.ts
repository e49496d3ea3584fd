import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { requireOwnerAccess } from '../backup/access.ts';
import { backupSettings, linkSigner, linkUrl } from '../backup/settings.ts';
import { restorableBackups } from '../backup/stored/restorable.ts';
import { restoreStoredBackup } from '../backup/stored/restore-stored.ts';
import { storedBackupSettings } from '../backup/stored/settings.ts';
import { findVerifiedBackup, listStoredBackups } from '../backup/stored/store.ts';
import { issueBackupToken } from '../backup/token-store.ts';
import { protectedProcedure, router } from '../trpc.ts';
import { tenantRefInput } from '../validation.ts';
import { backupLinkOutput } from './self-export.ts';

export const storedBackupRouter = router({
  /** The backups the server keeps for the organization, and runs in progress or failed; newest first. */
  list: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput, limit: z.number().int().min(1).max(500).default(100) }))
    .query(async ({ ctx, input }) => {
      const { tenant } = await requireOwnerAccess(ctx, input.tenantId);
      return { backups: await listStoredBackups(ctx.db, tenant.id, { limit: input.limit }) };
    }),

  /** A single-use link (5 minutes) to download one stored backup; not counted against the export limit. */
  requestDownload: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput, id: z.uuid() }))
    .output(backupLinkOutput)
    .mutation(async ({ ctx, input }) => {
      const { tenant } = await requireOwnerAccess(ctx, input.tenantId);
      const backup = await findVerifiedBackup(ctx.db, tenant.id, input.id.toLowerCase());
      if (!backup) {
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: 'No such stored backup (it may have been rotated away)',
        });
      }
      const link = await issueBackupToken(ctx.db, linkSigner(ctx.config), {
        purpose: 'stored',
        tenantId: tenant.id,
        userId: ctx.user.id,
        backupId: backup.id,
      });
      const url = linkUrl(
        backupSettings(ctx.config),
        `/api/stored-backups/${tenant.id}/${backup.id}?token=${link.token}`,
      );
      return { token: link.token, url, expiresAt: link.expiresAt };
    }),

  /** Stored backups (verified, unencrypted) of every organization the caller owns: restorable without an upload. */
  restorable: protectedProcedure.query(async ({ ctx }) => ({
    backups: await restorableBackups(ctx.db, ctx.user.id),
  })),

  /**
   * Restores a stored backup of an organization the caller owns into an empty organization the caller
   * owns, from the server's disk. Answers like the upload route's success: `{ok: true, rowsInserted, …}`.
   */
  restoreInto: protectedProcedure
    .input(
      z.object({
        tenantId: tenantRefInput,
        from: z.object({ tenantId: tenantRefInput, id: z.uuid() }),
        pauseRecurring: z.boolean().default(false),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { tenant: target } = await requireOwnerAccess(ctx, input.tenantId);
      const { tenant: source } = await requireOwnerAccess(ctx, input.from.tenantId);
      const report = await restoreStoredBackup(
        ctx.database,
        storedBackupSettings(ctx.config).directory,
        {
          targetTenantId: target.id,
          sourceTenantId: source.id,
          backupId: input.from.id.toLowerCase(),
          userId: ctx.user.id,
          pauseRecurring: input.pauseRecurring,
          maxArchiveBytes: backupSettings(ctx.config).maxArchiveBytes,
        },
        ctx.logger,
      );
      return { ok: true as const, ...report };
    }),
});

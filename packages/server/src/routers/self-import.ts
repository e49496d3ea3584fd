import { z } from 'zod';
import { requireOwnerAccess } from '../backup/access.ts';
import { tablesWithData, targetNotEmptyMessage } from '../backup/emptiness.ts';
import { backupSettings, linkSigner, linkUrl } from '../backup/settings.ts';
import { issueBackupToken } from '../backup/token-store.ts';
import { CodedTrpcError } from '../errors.ts';
import { protectedProcedure, router } from '../trpc.ts';
import { tenantRefInput } from '../validation.ts';
import { backupLinkOutput } from './self-export.ts';

export const selfImportRouter = router({
  /** A single-use link (15 minutes) to upload a backup into an empty organization the caller owns. */
  request: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput }))
    .output(backupLinkOutput)
    .mutation(async ({ ctx, input }) => {
      const { tenant } = await requireOwnerAccess(ctx, input.tenantId);
      const occupied = await tablesWithData(ctx.db, tenant.id);
      if (occupied.length > 0) {
        throw new CodedTrpcError({
          code: 'PRECONDITION_FAILED',
          hisaaboCode: 'TARGET_NOT_EMPTY',
          message: targetNotEmptyMessage(occupied),
        });
      }
      const link = await issueBackupToken(ctx.db, linkSigner(ctx.config), {
        purpose: 'import',
        tenantId: tenant.id,
        userId: ctx.user.id,
      });
      const url = linkUrl(backupSettings(ctx.config), `/api/selfImport/${tenant.id}?token=${link.token}`);
      return { token: link.token, url, expiresAt: link.expiresAt };
    }),
});

import { z } from 'zod';
import { backupSettings, linkSigner, linkUrl } from '../backup/settings.ts';
import { issueCsvLink } from '../csv/link.ts';
import { businessProcedure } from '../trpc.ts';

/** Procedures of the `business` router that hand out CSV links, kept apart for their imports. */
export const businessCsvProcedures = {
  /**
   * A 5-minute link to download the current business (x-business-id) as CSV files in a ZIP. Open to
   * every member who can read the business; a query, so viewers can use it too. Not a backup.
   */
  exportCsv: businessProcedure
    .output(z.object({ url: z.string(), expiresAt: z.string(), restorable: z.literal(false) }))
    .query(({ ctx }) => {
      const link = issueCsvLink(linkSigner(ctx.config), {
        tenantId: ctx.tenant.id,
        userId: ctx.user.id,
        businessId: ctx.businessId,
      });
      const url = linkUrl(backupSettings(ctx.config), `/api/csv/${ctx.businessId}?token=${link.token}`);
      return { url, expiresAt: link.expiresAt, restorable: false as const };
    }),
};

import type { Db } from '@hisaabo/db';
import { startBackupEvent } from './events.ts';
import { exportLimitMessage, exportQuota, lockExportStarts } from './exportLimit.ts';
import { BackupHttpError } from './httpErrors.ts';
import { ownerFailure } from './ownerFailure.ts';
import { checkOwner, type OwnedTenant } from './ownership.ts';
import type { LinkClaims } from './signing.ts';
import { consumeBackupToken } from './tokenStore.ts';
import { consumeFailure } from './tokenCheck.ts';

export interface StartedDownload {
  tenant: OwnedTenant;
  userId: string;
  eventId: string;
}

/**
 * Everything that must hold when a download starts, decided in one transaction under the
 * organization's export lock: the link is used now (and never again), its user still owns the
 * organization, and fewer than 2 exports started in the last 24 hours. The export is counted here.
 * On any refusal the transaction rolls back and nothing is recorded.
 */
export async function startDownload(db: Db, claims: LinkClaims): Promise<StartedDownload> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await lockExportStarts(t, claims.tenantId);
    const consumed = await consumeBackupToken(t, {
      id: claims.id,
      purpose: 'export',
      tenantId: claims.tenantId,
    });
    if (!consumed.ok) throw consumeFailure(consumed);
    const owner = await checkOwner(t, consumed.userId, claims.tenantId);
    if (!owner.ok) throw ownerFailure(owner);
    const quota = await exportQuota(t, claims.tenantId);
    if (quota.nextAllowedAt) {
      throw new BackupHttpError(429, 'TOO_MANY_REQUESTS', exportLimitMessage(quota.nextAllowedAt));
    }
    const eventId = await startBackupEvent(t, {
      tenantId: claims.tenantId,
      userId: consumed.userId,
      kind: 'export',
    });
    return { tenant: owner.tenant, userId: consumed.userId, eventId };
  });
}

import type { Db } from '@hisaabo/db';
import { startBackupEvent } from './events.ts';
import { exportLimitMessage, exportQuota, lockExportStarts } from './export-limit.ts';
import { BackupHttpError } from './http-errors.ts';
import { ownerFailure } from './owner-failure.ts';
import { checkOwner, type OwnedTenant } from './ownership.ts';
import type { LinkClaims } from './signing.ts';
import { consumeBackupToken } from './token-store.ts';
import { consumeFailure } from './token-check.ts';

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
  return decideDownload(db, claims, false);
}

/** Thrown to roll back a check that passed: nothing it did may stay. */
class CheckPassed extends Error {}

/**
 * Answers whether the link would start a download now, with the refusal startDownload would give,
 * and changes nothing: the checks run in a transaction that is always rolled back, so the link is
 * not spent and nothing is counted. Lets a page show an error in words before handing the link to
 * the browser's download manager, which would only say "failed".
 */
export async function checkDownload(db: Db, claims: LinkClaims): Promise<void> {
  try {
    await decideDownload(db, claims, true);
  } catch (error) {
    if (error instanceof CheckPassed) return;
    throw error;
  }
}

async function decideDownload(db: Db, claims: LinkClaims, dryRun: boolean): Promise<StartedDownload> {
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
    if (dryRun) throw new CheckPassed();
    const eventId = await startBackupEvent(t, {
      tenantId: claims.tenantId,
      userId: consumed.userId,
      kind: 'export',
    });
    return { tenant: owner.tenant, userId: consumed.userId, eventId };
  });
}

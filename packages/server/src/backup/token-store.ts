import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { isoInstantOf, backupTokens, type Db } from '@hisaabo/db';
import type { LinkSigner } from './signing.ts';

export type BackupPurpose = 'export' | 'import' | 'stored';

/** How long a link stays valid: a download starts at once; an upload may first need a file picked. */
export const TOKEN_TTL_MS: Record<BackupPurpose, number> = {
  export: 5 * 60 * 1000,
  import: 15 * 60 * 1000,
  stored: 5 * 60 * 1000,
};

export interface IssuedLink {
  token: string;
  expiresAt: string;
}

/** Records the token in the database (that record is what makes it single-use) and signs it. */
export async function issueBackupToken(
  db: Db,
  signer: LinkSigner,
  input: { purpose: BackupPurpose; tenantId: string; userId: string; backupId?: string },
  now = Date.now(),
): Promise<IssuedLink> {
  const expiresAt = now + TOKEN_TTL_MS[input.purpose];
  const [row] = await db
    .insert(backupTokens)
    .values({
      purpose: input.purpose,
      tenantId: input.tenantId,
      userId: input.userId,
      expiresAt: new Date(expiresAt).toISOString(),
    })
    .returning({ id: backupTokens.id });
  const token = signer.sign(input.purpose, {
    id: row!.id,
    tenantId: input.tenantId,
    userId: input.userId,
    ...(input.backupId ? { backupId: input.backupId } : {}),
    expiresAt,
  });
  return { token, expiresAt: isoInstantOf(expiresAt) };
}

export type ConsumeResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'used' | 'expired' | 'unknown' };

/**
 * Marks the token used. One conditional UPDATE decides, so of any number of concurrent attempts, in
 * one process or many, exactly one succeeds.
 */
export async function consumeBackupToken(
  db: Db,
  token: { id: string; purpose: BackupPurpose; tenantId: string },
): Promise<ConsumeResult> {
  const [used] = await db
    .update(backupTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(backupTokens.id, token.id),
        eq(backupTokens.purpose, token.purpose),
        eq(backupTokens.tenantId, token.tenantId),
        isNull(backupTokens.usedAt),
        gt(backupTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: backupTokens.userId });
  if (used) return { ok: true, userId: used.userId };
  const [row] = await db
    .select({ usedAt: backupTokens.usedAt })
    .from(backupTokens)
    .where(and(eq(backupTokens.id, token.id), eq(backupTokens.purpose, token.purpose)));
  if (!row) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: row.usedAt ? 'used' : 'expired' };
}

import { and, desc, eq } from 'drizzle-orm';
import { storedBackups, tenantMembers, tenants, type Db } from '@hisaabo/db';

export interface RestorableBackup {
  id: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  fileName: string;
  bytes: number | null;
  totalRows: number | null;
  createdAt: string;
}

/**
 * Verified, unencrypted stored backups of the organizations the user owns on this server, newest
 * first: what Get started offers to restore without an upload. Encrypted ones are left out, since the
 * server cannot read them.
 */
export async function restorableBackups(db: Db, userId: string, limit = 100): Promise<RestorableBackup[]> {
  return db
    .select({
      id: storedBackups.id,
      tenantId: storedBackups.tenantId,
      tenantSlug: tenants.slug,
      tenantName: tenants.name,
      fileName: storedBackups.fileName,
      bytes: storedBackups.bytes,
      totalRows: storedBackups.totalRows,
      createdAt: storedBackups.createdAt,
    })
    .from(storedBackups)
    .innerJoin(tenants, eq(tenants.id, storedBackups.tenantId))
    .innerJoin(
      tenantMembers,
      and(
        eq(tenantMembers.tenantId, storedBackups.tenantId),
        eq(tenantMembers.userId, userId),
        eq(tenantMembers.role, 'owner'),
      ),
    )
    .where(
      and(
        eq(storedBackups.status, 'verified'),
        eq(storedBackups.encrypted, false),
        eq(tenants.status, 'active'),
      ),
    )
    .orderBy(desc(storedBackups.createdAt), desc(storedBackups.id))
    .limit(limit);
}

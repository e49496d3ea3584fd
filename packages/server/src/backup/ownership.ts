import { and, eq } from 'drizzle-orm';
import { tenantMembers, tenants, type Db } from '@hisaabo/db';

export interface OwnedTenant {
  id: string;
  slug: string;
  name: string;
}

export type OwnerCheck =
  | { ok: true; tenant: OwnedTenant }
  | { ok: false; reason: 'not_found' | 'not_active' | 'not_owner' };

/**
 * Whether the user owns the organization right now. Asked when a link is issued and again when it is
 * used, so a link outlives neither its owner's role nor the organization.
 */
export async function checkOwner(db: Db, userId: string, tenantId: string): Promise<OwnerCheck> {
  const [row] = await db
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      status: tenants.status,
      role: tenantMembers.role,
    })
    .from(tenants)
    .leftJoin(tenantMembers, and(eq(tenantMembers.tenantId, tenants.id), eq(tenantMembers.userId, userId)))
    .where(eq(tenants.id, tenantId))
    .limit(1);
  if (!row || row.status === 'deleted') return { ok: false, reason: 'not_found' };
  if (row.role !== 'owner') return { ok: false, reason: 'not_owner' };
  if (row.status !== 'active') return { ok: false, reason: 'not_active' };
  return { ok: true, tenant: { id: row.id, slug: row.slug, name: row.name } };
}

export const OWNERS_ONLY_MESSAGE = 'Only owners of the organization can back it up or restore into it';

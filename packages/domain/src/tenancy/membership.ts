import { and, eq, or } from 'drizzle-orm';
import { tenantMembers, tenants, type Db, type Role } from '@hisaabo/db';

export interface TenantInfo {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended' | 'deleted';
}

export interface Membership {
  tenant: TenantInfo;
  role: Role;
}

/** The columns of a {@link TenantInfo}, for a select. */
export const tenantInfoColumns = {
  id: tenants.id,
  slug: tenants.slug,
  name: tenants.name,
  status: tenants.status,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * The caller's membership in the organization named by `ref` (its id or its slug), or undefined
 * when there is no such organization or the user is not a member. The two cases are deliberately
 * indistinguishable, so nobody can probe which organizations exist.
 */
export async function findMembership(db: Db, userId: string, ref: string): Promise<Membership | undefined> {
  // Ids and slugs are stored lower-cased (slugs are lowered at creation), so RT-A names rt-a.
  const lowered = ref.toLowerCase();
  const match = looksLikeUuid(ref)
    ? or(eq(tenants.id, lowered), eq(tenants.slug, lowered))
    : eq(tenants.slug, lowered);
  const [row] = await db
    .select({
      tenant: tenantInfoColumns,
      role: tenantMembers.role,
    })
    .from(tenants)
    .innerJoin(tenantMembers, and(eq(tenantMembers.tenantId, tenants.id), eq(tenantMembers.userId, userId)))
    .where(match)
    .limit(1);
  if (!row || row.tenant.status === 'deleted') return undefined;
  return row;
}

/** Every organization the user belongs to, with the user's role in it. */
export async function listMemberships(db: Db, userId: string): Promise<Membership[]> {
  const rows = await db
    .select({
      tenant: tenantInfoColumns,
      role: tenantMembers.role,
    })
    .from(tenantMembers)
    .innerJoin(tenants, eq(tenants.id, tenantMembers.tenantId))
    .where(eq(tenantMembers.userId, userId))
    .orderBy(tenants.name, tenants.slug);
  return rows.filter((row) => row.tenant.status !== 'deleted');
}

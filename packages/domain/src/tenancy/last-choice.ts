import { eq } from 'drizzle-orm';
import { users, type Db } from '@hisaabo/db';
import { findMembership } from './membership.ts';

/**
 * Remembers the organization the user chose (by creating, selecting or accepting it), so their next
 * session starts there. Null: they chose none.
 */
export async function rememberChosenOrganization(
  db: Db,
  userId: string,
  tenantId: string | null,
): Promise<void> {
  await db.update(users).set({ lastTenantId: tenantId }).where(eq(users.id, userId));
}

/**
 * Where a new session starts: the organization the user last chose, if they still belong to it and
 * it is active; otherwise none. Never an organization the user did not choose, such as the first of
 * their memberships.
 */
export async function startingOrganization(db: Db, userId: string): Promise<string | null> {
  const [user] = await db
    .select({ lastTenantId: users.lastTenantId })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.lastTenantId) return null;
  const membership = await findMembership(db, userId, user.lastTenantId);
  return membership?.tenant.status === 'active' ? membership.tenant.id : null;
}

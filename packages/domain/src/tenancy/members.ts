import { and, eq, sql } from 'drizzle-orm';
import { tenantMembers, tenants, users, type Db, type Role } from '@hisaabo/db';
import type { Executor, Tx } from '../context.ts';
import { DomainError } from '../errors.ts';
import { requireRole } from './roles.ts';

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

/** The organization's members, by name. */
export function listMembers(db: Executor, tenantId: string): Promise<Member[]> {
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: tenantMembers.role,
      joinedAt: tenantMembers.createdAt,
    })
    .from(tenantMembers)
    .innerJoin(users, eq(users.id, tenantMembers.userId))
    .where(eq(tenantMembers.tenantId, tenantId))
    .orderBy(users.name, users.email);
}

/**
 * Runs `change` with the organization row locked, so concurrent role changes are serialized and the
 * "at least one owner" rule cannot be broken by two owners demoting each other at the same moment.
 */
export function withMembersLocked<T>(db: Db, tenantId: string, change: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).for('update');
    return change(tx);
  });
}

export async function memberRole(tx: Tx, tenantId: string, userId: string): Promise<Role | undefined> {
  const [row] = await tx
    .select({ role: tenantMembers.role })
    .from(tenantMembers)
    .where(and(eq(tenantMembers.tenantId, tenantId), eq(tenantMembers.userId, userId)))
    .limit(1);
  return row?.role;
}

/** Throws when taking `userId` out of the owners would leave the organization with none. */
export async function assertAnotherOwner(tx: Tx, tenantId: string, userId: string): Promise<void> {
  const [row] = await tx
    .select({ others: sql<number>`count(*)::int` })
    .from(tenantMembers)
    .where(
      and(
        eq(tenantMembers.tenantId, tenantId),
        eq(tenantMembers.role, 'owner'),
        sql`${tenantMembers.userId} <> ${userId}`,
      ),
    );
  // An aggregate always answers one row.
  if (row!.others === 0) {
    throw new DomainError(
      'PRECONDITION_FAILED',
      'An organization must keep at least one owner: make someone else an owner first',
    );
  }
}

/** The caller's role as it is now, inside the locked transaction; FORBIDDEN if gone or not in `allowed`. */
export async function lockedCallerRole(
  tx: Tx,
  tenantId: string,
  userId: string,
  allowed?: readonly Role[],
): Promise<Role> {
  const role = await memberRole(tx, tenantId, userId);
  if (!role) throw new DomainError('FORBIDDEN', 'You are no longer a member of this organization');
  if (allowed) requireRole(role, allowed);
  return role;
}

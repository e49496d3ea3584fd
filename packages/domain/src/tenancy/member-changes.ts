import { and, eq } from 'drizzle-orm';
import { tenantMembers, type Db, type Role } from '@hisaabo/db';
import { DomainError } from '../errors.ts';
import { assertAnotherOwner, lockedCallerRole, memberRole, withMembersLocked } from './members.ts';
import { MANAGERS, requireRole } from './roles.ts';

interface MemberChange {
  tenantId: string;
  /** Who asks for the change. */
  callerId: string;
  /** Whose membership changes. */
  userId: string;
}

function noSuchMember(): DomainError {
  return new DomainError('NOT_FOUND', 'No such member in this organization');
}

/** Owners and admins change roles; only owners make or unmake owners; the last owner stays one. */
export function changeMemberRole(db: Db, change: MemberChange & { role: Role }): Promise<void> {
  const { tenantId, callerId, userId, role } = change;
  return withMembersLocked(db, tenantId, async (tx) => {
    // Re-read under the lock: the caller's own role may have just been changed by someone else.
    const callerRole = await lockedCallerRole(tx, tenantId, callerId, MANAGERS);
    const current = await memberRole(tx, tenantId, userId);
    if (!current) throw noSuchMember();
    if (current === 'owner' || role === 'owner') requireRole(callerRole, ['owner']);
    if (current === 'owner' && role !== 'owner') await assertAnotherOwner(tx, tenantId, userId);
    await tx
      .update(tenantMembers)
      .set({ role })
      .where(and(eq(tenantMembers.tenantId, tenantId), eq(tenantMembers.userId, userId)));
  });
}

/** Anyone may leave; owners and admins remove others; only owners remove owners; the last owner stays. */
export function removeMember(db: Db, change: MemberChange): Promise<void> {
  const { tenantId, callerId, userId } = change;
  const leaving = userId === callerId;
  return withMembersLocked(db, tenantId, async (tx) => {
    const callerRole = await lockedCallerRole(tx, tenantId, callerId, leaving ? undefined : MANAGERS);
    const current = await memberRole(tx, tenantId, userId);
    if (!current) throw noSuchMember();
    if (current === 'owner') {
      if (!leaving) requireRole(callerRole, ['owner']);
      await assertAnotherOwner(tx, tenantId, userId);
    }
    await tx
      .delete(tenantMembers)
      .where(and(eq(tenantMembers.tenantId, tenantId), eq(tenantMembers.userId, userId)));
  });
}

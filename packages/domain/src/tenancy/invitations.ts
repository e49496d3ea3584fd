import { and, desc, eq, or, sql } from 'drizzle-orm';
import { tenantInvitations, tenantMembers, tenants, users, type Db, type Role } from '@hisaabo/db';
import { DomainError } from '../errors.ts';
import { looksLikeUuid, type TenantInfo, tenantInfoColumns } from './membership.ts';
import { memberRole, withMembersLocked } from './members.ts';
import { requireRole } from './roles.ts';

// Membership is by consent: a manager's invitation waits until the invitee accepts or declines it.

/** What the inviting organization sees: the same whether or not the address has an account. */
export interface SentInvitation {
  email: string;
  role: Role;
  invitedAt: string;
  invitedBy: { name: string; email: string } | null;
}

/** What the invitee sees. */
export interface ReceivedInvitation {
  tenant: { id: string; slug: string; name: string };
  role: Role;
  invitedAt: string;
  invitedBy: { name: string; email: string } | null;
}

/**
 * Invites `email` into the organization, or renews a pending invitation with the new role. Only an
 * owner (`inviterRole`) invites an owner. Refuses only an address that is already a member (the
 * caller can see members anyway); whether the address has an account is never told.
 */
export async function inviteMember(
  db: Db,
  input: { tenantId: string; email: string; role: Role; invitedBy: string; inviterRole: Role },
): Promise<SentInvitation> {
  if (input.role === 'owner') requireRole(input.inviterRole, ['owner']);
  const email = input.email.toLowerCase();
  const [member] = await db
    .select({ userId: tenantMembers.userId })
    .from(tenantMembers)
    .innerJoin(users, eq(users.id, tenantMembers.userId))
    .where(and(eq(tenantMembers.tenantId, input.tenantId), eq(sql`lower(${users.email})`, email)))
    .limit(1);
  if (member) throw new DomainError('CONFLICT', `${email} is already a member`);
  await db
    .insert(tenantInvitations)
    .values({ tenantId: input.tenantId, email, role: input.role, invitedBy: input.invitedBy })
    .onConflictDoUpdate({
      target: [tenantInvitations.tenantId, tenantInvitations.email],
      // The instant is a value, not now(): Citus refuses functions in DO UPDATE SET on its tables.
      set: { role: input.role, invitedBy: input.invitedBy, createdAt: new Date().toISOString() },
    });
  const [sent] = (await listSentInvitations(db, input.tenantId)).filter((i) => i.email === email);
  return sent!;
}

/** The organization's pending invitations, newest first. */
export function listSentInvitations(db: Db, tenantId: string): Promise<SentInvitation[]> {
  return db
    .select({
      email: tenantInvitations.email,
      role: tenantInvitations.role,
      invitedAt: tenantInvitations.createdAt,
      invitedBy: { name: users.name, email: users.email },
    })
    .from(tenantInvitations)
    .leftJoin(users, eq(users.id, tenantInvitations.invitedBy))
    .where(eq(tenantInvitations.tenantId, tenantId))
    .orderBy(desc(tenantInvitations.createdAt), tenantInvitations.email);
}

/**
 * Withdraws a pending invitation: NOT_FOUND when there is none for that address; one as owner only
 * an owner (`callerRole`) withdraws.
 */
export async function withdrawInvitation(
  db: Db,
  input: { tenantId: string; email: string; callerRole: Role },
): Promise<void> {
  const role = await invitedRole(db, input.tenantId, input.email);
  if (!role) throw new DomainError('NOT_FOUND', `No pending invitation for ${input.email}`);
  if (role === 'owner') requireRole(input.callerRole, ['owner']);
  await cancelInvitation(db, input.tenantId, input.email);
}

/** Deletes a pending invitation; false when there is none for that address. */
async function cancelInvitation(db: Db, tenantId: string, email: string): Promise<boolean> {
  const deleted = await db
    .delete(tenantInvitations)
    .where(and(eq(tenantInvitations.tenantId, tenantId), eq(tenantInvitations.email, email.toLowerCase())))
    .returning({ email: tenantInvitations.email });
  return deleted.length > 0;
}

/** The role of a pending invitation, if there is one. */
async function invitedRole(db: Db, tenantId: string, email: string): Promise<Role | undefined> {
  const [row] = await db
    .select({ role: tenantInvitations.role })
    .from(tenantInvitations)
    .where(and(eq(tenantInvitations.tenantId, tenantId), eq(tenantInvitations.email, email.toLowerCase())));
  return row?.role;
}

/** Invitations waiting for this address, from organizations that are active. */
export async function listReceivedInvitations(db: Db, email: string): Promise<ReceivedInvitation[]> {
  return db
    .select({
      tenant: { id: tenants.id, slug: tenants.slug, name: tenants.name },
      role: tenantInvitations.role,
      invitedAt: tenantInvitations.createdAt,
      invitedBy: { name: users.name, email: users.email },
    })
    .from(tenantInvitations)
    .innerJoin(tenants, eq(tenants.id, tenantInvitations.tenantId))
    .leftJoin(users, eq(users.id, tenantInvitations.invitedBy))
    .where(and(eq(tenantInvitations.email, email.toLowerCase()), eq(tenants.status, 'active')))
    .orderBy(desc(tenantInvitations.createdAt));
}

const noInvitation = (ref: string) =>
  new DomainError('NOT_FOUND', `You have no pending invitation to organization "${ref}"`);

/** The id of the organization named by id or slug (any status), if it exists. */
async function tenantIdOf(db: Db, ref: string): Promise<string | undefined> {
  const match = looksLikeUuid(ref)
    ? or(eq(tenants.id, ref.toLowerCase()), eq(tenants.slug, ref))
    : eq(tenants.slug, ref);
  const [row] = await db.select({ id: tenants.id }).from(tenants).where(match).limit(1);
  return row?.id;
}

/**
 * Turns the user's invitation into a membership, with the organization locked like every other
 * membership change. NOT_FOUND when there is no invitation for the user's email (or the organization
 * is not active), so an invitation cannot be probed for.
 */
export async function acceptInvitation(
  db: Db,
  user: { id: string; email: string },
  ref: string,
): Promise<{ tenant: TenantInfo; role: Role }> {
  const tenantId = await tenantIdOf(db, ref);
  if (!tenantId) throw noInvitation(ref);
  return withMembersLocked(db, tenantId, async (tx) => {
    const [tenant] = await tx.select(tenantInfoColumns).from(tenants).where(eq(tenants.id, tenantId));
    if (tenant?.status !== 'active') throw noInvitation(ref);
    const [invitation] = await tx
      .delete(tenantInvitations)
      .where(
        and(eq(tenantInvitations.tenantId, tenantId), eq(tenantInvitations.email, user.email.toLowerCase())),
      )
      .returning({ role: tenantInvitations.role });
    if (!invitation) throw noInvitation(ref);
    await tx
      .insert(tenantMembers)
      .values({ tenantId, userId: user.id, role: invitation.role })
      .onConflictDoNothing();
    // Already a member (added some other way meanwhile): the membership as it is wins.
    return { tenant, role: (await memberRole(tx, tenantId, user.id)) ?? invitation.role };
  });
}

/** Declines (deletes) the user's invitation; NOT_FOUND when there is none. */
export async function declineInvitation(db: Db, user: { email: string }, ref: string): Promise<void> {
  const tenantId = await tenantIdOf(db, ref);
  if (!tenantId || !(await cancelInvitation(db, tenantId, user.email))) throw noInvitation(ref);
}

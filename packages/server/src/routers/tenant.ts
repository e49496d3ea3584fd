import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { tenantMembers, tenants } from '@hisaabo/db';
import { selectTenantForSession } from '../auth/sessions.ts';
import { isUniqueViolation } from '../errors.ts';
import { cancelInvitation, invitedRole, inviteMember, listSentInvitations } from '../tenancy/invitations.ts';
import { rememberChosenOrganization } from '../tenancy/last-choice.ts';
import { changeMemberRole, removeMember } from '../tenancy/member-changes.ts';
import { listMemberships } from '../tenancy/membership.ts';
import { listMembers } from '../tenancy/members.ts';
import {
  protectedProcedure,
  requireRole,
  requireSession,
  requireTenantAccess,
  router,
  tenantProcedure,
  tenantProcedureWithRole,
} from '../trpc.ts';
import {
  emailInput,
  idInput,
  organizationNameInput,
  roleInput,
  slugInput,
  tenantRefInput,
} from '../validation.ts';

const MANAGERS = ['owner', 'admin'] as const;

export const tenantRouter = router({
  /** A new organization with the caller as its owner; it becomes the session's selected organization. */
  create: protectedProcedure
    .input(z.object({ name: organizationNameInput, slug: slugInput }))
    .mutation(async ({ ctx, input }) => {
      const sessionId = requireSession(ctx, 'create an organization');
      let tenant: { id: string; name: string; slug: string; status: 'active' | 'suspended' | 'deleted' };
      try {
        tenant = await ctx.db.transaction(async (tx) => {
          const [row] = await tx
            .insert(tenants)
            .values({ name: input.name, slug: input.slug })
            .returning({ id: tenants.id, name: tenants.name, slug: tenants.slug, status: tenants.status });
          await tx.insert(tenantMembers).values({ tenantId: row!.id, userId: ctx.user.id, role: 'owner' });
          return row!;
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new TRPCError({
            code: 'CONFLICT',
            message: `The slug "${input.slug}" is already taken; choose another`,
          });
        }
        throw error;
      }
      await selectTenantForSession(ctx.db, sessionId, tenant.id);
      await rememberChosenOrganization(ctx.db, ctx.user.id, tenant.id);
      ctx.logger.info('organization created', { tenantId: tenant.id });
      return { ...tenant, role: 'owner' as const };
    }),

  /** The caller's organizations with the caller's role in each (only its own for an API key). */
  list: protectedProcedure.query(async ({ ctx }) => {
    const { credential } = ctx;
    const memberships = await listMemberships(ctx.db, ctx.user.id);
    return memberships
      .filter((m) => credential.kind !== 'apiKey' || m.tenant.id === credential.tenantId)
      .map((m) => ({ ...m.tenant, role: m.role }));
  }),

  /**
   * Remembers the organization tenant procedures act on when no x-tenant-id is sent (null clears it),
   * and where the user's next session starts.
   */
  select: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput.nullable() }))
    .mutation(async ({ ctx, input }) => {
      const sessionId = requireSession(ctx, 'select an organization');
      if (input.tenantId === null) {
        await selectTenantForSession(ctx.db, sessionId, null);
        await rememberChosenOrganization(ctx.db, ctx.user.id, null);
        return null;
      }
      const { tenant, role } = await requireTenantAccess(ctx, input.tenantId);
      await selectTenantForSession(ctx.db, sessionId, tenant.id);
      await rememberChosenOrganization(ctx.db, ctx.user.id, tenant.id);
      return { ...tenant, role };
    }),

  /** The organization tenant procedures act on for this request (x-tenant-id or the selection), with the role. */
  current: tenantProcedure.query(({ ctx }) => ({ ...ctx.tenant, role: ctx.role })),

  /** Renames the organization (its slug stays: scripts and the CLI address it by slug). */
  rename: tenantProcedureWithRole('owner', 'admin')
    .input(z.object({ name: organizationNameInput }))
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.db
        .update(tenants)
        .set({ name: input.name })
        .where(eq(tenants.id, ctx.tenant.id))
        .returning({ id: tenants.id, name: tenants.name, slug: tenants.slug, status: tenants.status });
      return { ...row!, role: ctx.role };
    }),

  members: protectedProcedure.input(z.object({ tenantId: tenantRefInput })).query(async ({ ctx, input }) => {
    const { tenant } = await requireTenantAccess(ctx, input.tenantId);
    return listMembers(ctx.db, tenant.id);
  }),

  /**
   * Invites an email address: it becomes a member only when its account accepts (invitation.accept).
   * Owners and admins may invite; only owners may invite owners. The answer is the same whether or
   * not the address has an account; inviting again renews the invitation with the new role.
   */
  addMember: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput, email: emailInput, role: roleInput }))
    .mutation(async ({ ctx, input }) => {
      const { tenant, role: callerRole } = await requireTenantAccess(ctx, input.tenantId, MANAGERS);
      if (input.role === 'owner') requireRole(callerRole, ['owner']);
      const invitation = await inviteMember(ctx.db, {
        tenantId: tenant.id,
        email: input.email,
        role: input.role,
        invitedBy: ctx.user.id,
      });
      ctx.logger.info('member invited', { tenantId: tenant.id, role: input.role });
      return { ...invitation, status: 'pending' as const };
    }),

  /** Pending invitations of the organization (owners and admins). */
  invitations: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput }))
    .query(async ({ ctx, input }) => {
      const { tenant } = await requireTenantAccess(ctx, input.tenantId, MANAGERS);
      return listSentInvitations(ctx.db, tenant.id);
    }),

  /** Withdraws a pending invitation (owners and admins; an invitation as owner only by owners). */
  cancelInvitation: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput, email: emailInput }))
    .mutation(async ({ ctx, input }) => {
      const { tenant, role: callerRole } = await requireTenantAccess(ctx, input.tenantId, MANAGERS);
      const role = await invitedRole(ctx.db, tenant.id, input.email);
      if (!role) {
        throw new TRPCError({ code: 'NOT_FOUND', message: `No pending invitation for ${input.email}` });
      }
      if (role === 'owner') requireRole(callerRole, ['owner']);
      await cancelInvitation(ctx.db, tenant.id, input.email);
      ctx.logger.info('invitation cancelled', { tenantId: tenant.id });
      return { email: input.email, cancelled: true as const };
    }),

  /** Owners and admins change roles; only owners make or unmake owners; the last owner stays one. */
  updateMemberRole: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput, userId: idInput, role: roleInput }))
    .mutation(async ({ ctx, input }) => {
      const { tenant } = await requireTenantAccess(ctx, input.tenantId, MANAGERS);
      const { userId, role } = input;
      await changeMemberRole(ctx.db, { tenantId: tenant.id, callerId: ctx.user.id, userId, role });
      ctx.logger.info('member role changed', { tenantId: tenant.id, memberId: userId, role });
      return { userId, role };
    }),

  /** Anyone may leave; owners and admins remove others; only owners remove owners; the last owner stays. */
  removeMember: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput, userId: idInput }))
    .mutation(async ({ ctx, input }) => {
      const { tenant } = await requireTenantAccess(ctx, input.tenantId);
      await removeMember(ctx.db, { tenantId: tenant.id, callerId: ctx.user.id, userId: input.userId });
      ctx.logger.info('member removed', { tenantId: tenant.id, memberId: input.userId });
      return { userId: input.userId, removed: true as const };
    }),
});

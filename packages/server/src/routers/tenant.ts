import { z } from 'zod';
import {
  changeMemberRole,
  createOrganization,
  inviteMember,
  listMembers,
  listSentInvitations,
  MANAGERS,
  removeMember,
  renameOrganization,
  withdrawInvitation,
} from '@hisaabo/domain';
import { chooseOrganization, visibleOrganizations, withRole } from '../tenancy/session-organizations.ts';
import {
  protectedProcedure,
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

export const tenantRouter = router({
  /** A new organization with the caller as its owner; it becomes the session's selected organization. */
  create: protectedProcedure
    .input(z.object({ name: organizationNameInput, slug: slugInput }))
    .mutation(async ({ ctx, input }) => {
      const sessionId = requireSession(ctx, 'create an organization');
      const tenant = await createOrganization(ctx.db, { ...input, ownerId: ctx.user.id });
      await chooseOrganization(ctx, sessionId, tenant.id);
      ctx.logger.info('organization created', { tenantId: tenant.id });
      return { ...tenant, role: 'owner' as const };
    }),

  /** The caller's organizations with the caller's role in each (only its own for an API key). */
  list: protectedProcedure.query(async ({ ctx }) => (await visibleOrganizations(ctx)).map(withRole)),

  /**
   * Remembers the organization tenant procedures act on when no x-tenant-id is sent (null clears it),
   * and where the user's next session starts.
   */
  select: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput.nullable() }))
    .mutation(async ({ ctx, input }) => {
      const sessionId = requireSession(ctx, 'select an organization');
      if (input.tenantId === null) {
        await chooseOrganization(ctx, sessionId, null);
        return null;
      }
      const membership = await requireTenantAccess(ctx, input.tenantId);
      await chooseOrganization(ctx, sessionId, membership.tenant.id);
      return withRole(membership);
    }),

  /** The organization tenant procedures act on for this request (x-tenant-id or the selection), with the role. */
  current: tenantProcedure.query(({ ctx }) => ({ ...ctx.tenant, role: ctx.role })),

  /** Renames the organization (its slug stays: scripts and the CLI address it by slug). */
  rename: tenantProcedureWithRole('owner', 'admin')
    .input(z.object({ name: organizationNameInput }))
    .mutation(async ({ ctx, input }) => ({
      ...(await renameOrganization(ctx.db, ctx.tenant.id, input.name)),
      role: ctx.role,
    })),

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
      const { tenant, role: inviterRole } = await requireTenantAccess(ctx, input.tenantId, MANAGERS);
      const invitation = await inviteMember(ctx.db, {
        tenantId: tenant.id,
        email: input.email,
        role: input.role,
        invitedBy: ctx.user.id,
        inviterRole,
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
      await withdrawInvitation(ctx.db, { tenantId: tenant.id, email: input.email, callerRole });
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

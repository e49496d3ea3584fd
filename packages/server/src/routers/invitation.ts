import { z } from 'zod';
import {
  acceptInvitation,
  declineInvitation,
  listReceivedInvitations,
  rememberChosenOrganization,
} from '@hisaabo/domain';
import { protectedProcedure, requireSession, router } from '../trpc.ts';
import { tenantRefInput } from '../validation.ts';

/** The signed-in user's invitations: membership starts only when they accept. */
export const invitationRouter = router({
  /** Pending invitations to the caller's email address. */
  list: protectedProcedure.query(({ ctx }) => {
    requireSession(ctx, 'see invitations');
    return listReceivedInvitations(ctx.db, ctx.user.email);
  }),

  /** Joins the organization with the invited role; it becomes the organization the next session starts in. */
  accept: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput }))
    .mutation(async ({ ctx, input }) => {
      requireSession(ctx, 'accept an invitation');
      const { tenant, role } = await acceptInvitation(ctx.db, ctx.user, input.tenantId);
      await rememberChosenOrganization(ctx.db, ctx.user.id, tenant.id);
      ctx.logger.info('invitation accepted', { tenantId: tenant.id, memberId: ctx.user.id, role });
      return { ...tenant, role };
    }),

  /** Refuses the invitation; the organization sees it disappear from its pending list. */
  decline: protectedProcedure
    .input(z.object({ tenantId: tenantRefInput }))
    .mutation(async ({ ctx, input }) => {
      requireSession(ctx, 'decline an invitation');
      await declineInvitation(ctx.db, ctx.user, input.tenantId);
      return { declined: true as const };
    }),
});

import {
  businessInput,
  createBusiness,
  getBusiness,
  listBusinesses,
  listSequences,
  MANAGERS,
  requireRole,
  sequenceUpdateInput,
  updateBusiness,
  updateBusinessSequence,
} from '@hisaabo/domain';
import { actor, businessProcedure, router, tenantProcedure } from '../trpc.ts';
import { businessCsvProcedures } from './business-csv.ts';

export const businessRouter = router({
  ...businessCsvProcedures,

  /** Creates a business with its document sequences and a default Cash account. */
  create: tenantProcedure.input(businessInput).mutation(({ ctx, input }) => {
    requireRole(ctx.role, MANAGERS);
    return createBusiness(ctx.db, { tenantId: ctx.tenant.id, userId: ctx.user.id }, input);
  }),

  /** Every business of the organization. */
  list: tenantProcedure.query(({ ctx }) => listBusinesses(ctx.db, { tenantId: ctx.tenant.id })),

  /** The business of the x-business-id header. */
  get: businessProcedure.query(({ ctx }) => getBusiness(ctx.db, actor(ctx))),

  update: businessProcedure.input(businessInput.partial()).mutation(({ ctx, input }) => {
    requireRole(ctx.role, MANAGERS);
    return updateBusiness(ctx.db, actor(ctx), input);
  }),

  /** The numbering sequences (prefix and next number per document kind). */
  sequences: businessProcedure.query(({ ctx }) => listSequences(ctx.db, actor(ctx))),

  /** Moves a sequence's next number forward (never back) or changes its prefix. */
  updateSequence: businessProcedure.input(sequenceUpdateInput).mutation(({ ctx, input }) => {
    requireRole(ctx.role, MANAGERS);
    return updateBusinessSequence(ctx.db, actor(ctx), input);
  }),
});

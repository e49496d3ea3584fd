import {
  businessInput,
  createBusiness,
  getBusiness,
  listBusinesses,
  listSequences,
  sequenceUpdateInput,
  updateBusiness,
  updateBusinessSequence,
} from '@hisaabo/domain';
import { actor, booksProcedure, booksTenantProcedure, router } from '../trpc.ts';
import { requireRole } from '../tenancy/roles.ts';
import { businessCsvProcedures } from './business-csv.ts';

/** Managing businesses themselves is for owners and admins. */
const managers = ['owner', 'admin'] as const;

export const businessRouter = router({
  ...businessCsvProcedures,

  /** Creates a business with its document sequences and a default Cash account. */
  create: booksTenantProcedure.input(businessInput).mutation(({ ctx, input }) => {
    requireRole(ctx.role, managers);
    return createBusiness(ctx.db, { tenantId: ctx.tenant.id, userId: ctx.user.id }, input);
  }),

  /** Every business of the organization. */
  list: booksTenantProcedure.query(({ ctx }) => listBusinesses(ctx.db, { tenantId: ctx.tenant.id })),

  /** The business of the x-business-id header. */
  get: booksProcedure.query(({ ctx }) => getBusiness(ctx.db, actor(ctx))),

  update: booksProcedure.input(businessInput.partial()).mutation(({ ctx, input }) => {
    requireRole(ctx.role, managers);
    return updateBusiness(ctx.db, actor(ctx), input);
  }),

  /** The numbering sequences (prefix and next number per document kind). */
  sequences: booksProcedure.query(({ ctx }) => listSequences(ctx.db, actor(ctx))),

  /** Moves a sequence's next number forward (never back) or changes its prefix. */
  updateSequence: booksProcedure.input(sequenceUpdateInput).mutation(({ ctx, input }) => {
    requireRole(ctx.role, managers);
    return updateBusinessSequence(ctx.db, actor(ctx), input);
  }),
});

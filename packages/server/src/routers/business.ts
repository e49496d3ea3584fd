import {
  businessInput,
  createBusiness,
  DomainError,
  getBusiness,
  listBusinesses,
  listSequences,
  sequenceUpdateInput,
  updateBusiness,
  updateBusinessSequence,
} from '@hisaabo/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { businessProcedure, middleware, router, tenantProcedure, type TenantContext } from '../trpc.ts';
import { requireRole } from '../tenancy/roles.ts';
import { businessCsvRouter } from './businessCsv.ts';

/**
 * A refused business rule answers with its own code and message (404 not found, 400 bad input,
 * 409 conflict, 412 precondition) instead of a hidden internal error.
 */
const domainErrors = middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

/** Procedures of the books: organization-wide ones, and ones scoped by the x-business-id header. */
export const booksTenantProcedure = tenantProcedure.use(domainErrors);
export const booksProcedure = businessProcedure.use(domainErrors);

/** Who acts where, as the domain wants it. */
export const actor = (ctx: TenantContext & { businessId: string }) => ({
  tenantId: ctx.tenant.id,
  businessId: ctx.businessId,
  userId: ctx.user.id,
});

/** Managing businesses themselves is for owners and admins. */
const managers = ['owner', 'admin'] as const;

export const businessRouter = router({
  ...businessCsvRouter._def.record,

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

export const idInput = z.object({ id: z.uuid() });

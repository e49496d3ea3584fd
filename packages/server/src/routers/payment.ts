import {
  createPayment,
  deletePayment,
  getPayment,
  listPayments,
  paymentInput,
  updatePayment,
} from '@hisaabo/domain';
import { PAYMENT_DIRECTIONS } from '@hisaabo/db';
import { z } from 'zod';
import { actor, businessProcedure, router } from '../trpc.ts';
import { byIdInput } from '../validation.ts';

export const paymentRouter = router({
  /** Records money in or out, allocated to one or more invoices (never beyond their balance). */
  create: businessProcedure
    .input(paymentInput)
    .mutation(({ ctx, input }) => createPayment(ctx.db, actor(ctx), input)),
  update: businessProcedure
    .input(z.object({ id: z.uuid(), payment: paymentInput.omit({ direction: true }) }))
    .mutation(({ ctx, input }) => updatePayment(ctx.db, actor(ctx), input.id, input.payment)),
  /** Deletes the payment and reverses its allocations and bank transaction. */
  delete: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => deletePayment(ctx.db, actor(ctx), input.id)),
  list: businessProcedure
    .input(
      z
        .object({
          direction: z.enum(PAYMENT_DIRECTIONS).optional(),
          partyId: z.uuid().optional(),
          limit: z.number().int().min(1).max(500).default(50),
          offset: z.number().int().min(0).default(0),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) => listPayments(ctx.db, actor(ctx), input)),
  get: businessProcedure.input(byIdInput).query(({ ctx, input }) => getPayment(ctx.db, actor(ctx), input.id)),
});

import {
  bankAccountInput,
  createBankAccount,
  getBankAccount,
  listBankAccounts,
  listBankTransactions,
  transferBetweenAccounts,
  transferInput,
  updateBankAccount,
} from '@hisaabo/domain';
import { z } from 'zod';
import { actor, businessProcedure, router } from '../trpc.ts';
import { byIdInput } from '../validation.ts';

export const bankAccountRouter = router({
  create: businessProcedure
    .input(bankAccountInput)
    .mutation(({ ctx, input }) => createBankAccount(ctx.db, actor(ctx), input)),
  /** Every account with its balance (opening balance + transactions, derived on reading). */
  list: businessProcedure.query(({ ctx }) => listBankAccounts(ctx.db, actor(ctx))),
  get: businessProcedure
    .input(byIdInput)
    .query(({ ctx, input }) => getBankAccount(ctx.db, actor(ctx), input.id)),
  update: businessProcedure
    .input(z.object({ id: z.uuid(), patch: bankAccountInput.omit({ openingBalance: true }).partial() }))
    .mutation(({ ctx, input }) => updateBankAccount(ctx.db, actor(ctx), input.id, input.patch)),
  transactions: businessProcedure
    .input(
      z.object({
        accountId: z.uuid(),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      }),
    )
    .query(({ ctx, input }) => listBankTransactions(ctx.db, actor(ctx), input)),
  /** Moves money between two accounts of the business: a linked pair of transactions. */
  transfer: businessProcedure
    .input(transferInput)
    .mutation(({ ctx, input }) => transferBetweenAccounts(ctx.db, actor(ctx), input)),
});

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
import { actor, booksProcedure, router } from '../trpc.ts';
import { byIdInput } from '../validation.ts';

export const bankAccountRouter = router({
  create: booksProcedure
    .input(bankAccountInput)
    .mutation(({ ctx, input }) => createBankAccount(ctx.db, actor(ctx), input)),
  /** Every account with its balance (opening balance + transactions, derived on reading). */
  list: booksProcedure.query(({ ctx }) => listBankAccounts(ctx.db, actor(ctx))),
  get: booksProcedure
    .input(byIdInput)
    .query(({ ctx, input }) => getBankAccount(ctx.db, actor(ctx), input.id)),
  update: booksProcedure
    .input(z.object({ id: z.uuid(), patch: bankAccountInput.omit({ openingBalance: true }).partial() }))
    .mutation(({ ctx, input }) => updateBankAccount(ctx.db, actor(ctx), input.id, input.patch)),
  transactions: booksProcedure
    .input(
      z.object({
        accountId: z.uuid(),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      }),
    )
    .query(({ ctx, input }) => listBankTransactions(ctx.db, actor(ctx), input)),
  /** Moves money between two accounts of the business: a linked pair of transactions. */
  transfer: booksProcedure
    .input(transferInput)
    .mutation(({ ctx, input }) => transferBetweenAccounts(ctx.db, actor(ctx), input)),
});

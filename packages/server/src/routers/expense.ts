import {
  createExpense,
  createExpenseCategory,
  dateSchema,
  deleteExpense,
  deleteExpenseCategory,
  expenseCategoryInput,
  expenseInput,
  listExpenseCategories,
  listExpenses,
  updateExpense,
  updateExpenseCategory,
} from '@hisaabo/domain';
import { z } from 'zod';
import { actor, businessProcedure, router } from '../trpc.ts';
import { byIdInput } from '../validation.ts';

export const expenseRouter = router({
  /** A paid expense also writes a withdrawal from its account (the default Cash account if none given). */
  create: businessProcedure
    .input(expenseInput)
    .mutation(({ ctx, input }) => createExpense(ctx.db, actor(ctx), input)),
  list: businessProcedure
    .input(
      z
        .object({
          categoryId: z.uuid().optional(),
          from: dateSchema.optional(),
          to: dateSchema.optional(),
          limit: z.number().int().min(1).max(500).default(50),
          offset: z.number().int().min(0).default(0),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) => listExpenses(ctx.db, actor(ctx), input)),
  update: businessProcedure
    .input(z.object({ id: z.uuid(), expense: expenseInput }))
    .mutation(({ ctx, input }) => updateExpense(ctx.db, actor(ctx), input.id, input.expense)),
  delete: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => deleteExpense(ctx.db, actor(ctx), input.id)),

  createCategory: businessProcedure
    .input(expenseCategoryInput)
    .mutation(({ ctx, input }) => createExpenseCategory(ctx.db, actor(ctx), input)),
  listCategories: businessProcedure.query(({ ctx }) => listExpenseCategories(ctx.db, actor(ctx))),
  updateCategory: businessProcedure
    .input(z.object({ id: z.uuid(), name: expenseCategoryInput.shape.name }))
    .mutation(({ ctx, input }) => updateExpenseCategory(ctx.db, actor(ctx), input.id, { name: input.name })),
  /** Refused while expenses are filed under the category. */
  deleteCategory: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => deleteExpenseCategory(ctx.db, actor(ctx), input.id)),
});

import {
  addVariant,
  adjustStock,
  createItem,
  deleteItem,
  deleteVariant,
  getItem,
  itemInput,
  listItems,
  stockAdjustmentInput,
  updateItem,
  updateVariant,
  variantInput,
} from '@hisaabo/domain';
import { z } from 'zod';
import { actor, businessProcedure, router } from '../trpc.ts';
import { byIdInput } from '../validation.ts';

export const itemRouter = router({
  /** Creates an item, with its variants if any. Stock starts at zero: use adjustStock for opening stock. */
  create: businessProcedure
    .input(itemInput)
    .mutation(({ ctx, input }) => createItem(ctx.db, actor(ctx), input)),
  list: businessProcedure
    .input(
      z
        .object({
          search: z.string().trim().max(200).optional(),
          includeDeleted: z.boolean().optional(),
          limit: z.number().int().min(1).max(500).default(50),
          offset: z.number().int().min(0).default(0),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) => listItems(ctx.db, actor(ctx), input)),
  get: businessProcedure.input(byIdInput).query(({ ctx, input }) => getItem(ctx.db, actor(ctx), input.id)),
  update: businessProcedure
    .input(z.object({ id: z.uuid(), patch: itemInput.omit({ variants: true }).partial() }))
    .mutation(({ ctx, input }) => updateItem(ctx.db, actor(ctx), input.id, input.patch)),
  /** Soft delete: past documents keep their lines. */
  delete: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => deleteItem(ctx.db, actor(ctx), input.id)),
  addVariant: businessProcedure
    .input(z.object({ itemId: z.uuid(), variant: variantInput }))
    .mutation(({ ctx, input }) => addVariant(ctx.db, actor(ctx), input.itemId, input.variant)),
  updateVariant: businessProcedure
    .input(z.object({ id: z.uuid(), patch: variantInput.partial() }))
    .mutation(({ ctx, input }) => updateVariant(ctx.db, actor(ctx), input.id, input.patch)),
  deleteVariant: businessProcedure
    .input(byIdInput)
    .mutation(({ ctx, input }) => deleteVariant(ctx.db, actor(ctx), input.id)),
  /** Records a stock adjustment and changes the stock in one transaction. */
  adjustStock: businessProcedure
    .input(stockAdjustmentInput)
    .mutation(({ ctx, input }) => adjustStock(ctx.db, actor(ctx), input)),
});

import { itemVariants, items, stockAdjustments } from '@hisaabo/db';
import { and, asc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import { writeAudit } from './audit.ts';
import { type BusinessContext, type Executor, inTransaction } from './context.ts';
import { badRequest, notFound } from './errors.ts';
import type { ItemInput, StockAdjustmentInput, VariantInput } from './schemas.ts';
import { applyStockMoves } from './stock.ts';

const scope = (ctx: BusinessContext) =>
  and(eq(items.tenantId, ctx.tenantId), eq(items.businessId, ctx.businessId));

export async function createItem(executor: Executor, ctx: BusinessContext, input: ItemInput) {
  return inTransaction(executor, async (tx) => {
    const { variants = [], ...fields } = input;
    const [item] = await tx
      .insert(items)
      .values({ ...fields, tenantId: ctx.tenantId, businessId: ctx.businessId })
      .returning();
    const created = variants.length
      ? await tx
          .insert(itemVariants)
          .values(variants.map((v) => ({ ...v, tenantId: ctx.tenantId, itemId: item!.id })))
          .returning()
      : [];
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'create',
      entityType: 'item',
      entityId: item!.id,
      details: { name: item!.name, variants: created.length },
    });
    return { ...item!, variants: created };
  });
}

export async function listItems(
  executor: Executor,
  ctx: BusinessContext,
  input: { search?: string; includeDeleted?: boolean; limit: number; offset: number },
) {
  const conditions = [scope(ctx)];
  if (!input.includeDeleted) conditions.push(isNull(items.deletedAt));
  if (input.search) {
    const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(items.name, pattern), ilike(items.sku, pattern)));
  }
  const where = and(...conditions);
  const [rows, [count]] = await Promise.all([
    executor
      .select()
      .from(items)
      .where(where)
      .orderBy(asc(items.name), asc(items.id))
      .limit(input.limit)
      .offset(input.offset),
    executor.select({ n: sql<number>`count(*)::int` }).from(items).where(where),
  ]);
  return { items: rows, total: Number(count?.n ?? 0) };
}

export async function getItem(executor: Executor, ctx: BusinessContext, itemId: string) {
  const [item] = await executor
    .select()
    .from(items)
    .where(and(scope(ctx), eq(items.id, itemId)));
  if (!item) throw notFound('item', itemId);
  const variants = await executor
    .select()
    .from(itemVariants)
    .where(and(eq(itemVariants.tenantId, ctx.tenantId), eq(itemVariants.itemId, itemId)))
    .orderBy(asc(itemVariants.name), asc(itemVariants.id));
  return { ...item, variants };
}

export async function updateItem(
  executor: Executor,
  ctx: BusinessContext,
  itemId: string,
  input: Partial<Omit<ItemInput, 'variants'>>,
) {
  return inTransaction(executor, async (tx) => {
    const [row] = await tx
      .update(items)
      .set({ ...input, updatedAt: sql`now()` })
      .where(and(scope(ctx), eq(items.id, itemId), isNull(items.deletedAt)))
      .returning();
    if (!row) throw notFound('item', itemId);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update',
      entityType: 'item',
      entityId: itemId,
      details: { fields: Object.keys(input) },
    });
    return row;
  });
}

/** Soft delete: documents keep pointing at the item, which disappears from lists. */
export async function deleteItem(executor: Executor, ctx: BusinessContext, itemId: string) {
  return inTransaction(executor, async (tx) => {
    const [row] = await tx
      .update(items)
      .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(scope(ctx), eq(items.id, itemId), isNull(items.deletedAt)))
      .returning({ id: items.id, name: items.name });
    if (!row) throw notFound('item', itemId);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'delete',
      entityType: 'item',
      entityId: itemId,
      details: { name: row.name },
    });
    return { id: itemId };
  });
}

export async function addVariant(
  executor: Executor,
  ctx: BusinessContext,
  itemId: string,
  input: VariantInput,
) {
  return inTransaction(executor, async (tx) => {
    await requireItem(tx, ctx, itemId);
    const [row] = await tx
      .insert(itemVariants)
      .values({ ...input, tenantId: ctx.tenantId, itemId })
      .returning();
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'create',
      entityType: 'item_variant',
      entityId: row!.id,
      details: { itemId, name: row!.name },
    });
    return row!;
  });
}

export async function updateVariant(
  executor: Executor,
  ctx: BusinessContext,
  variantId: string,
  input: Partial<VariantInput>,
) {
  return inTransaction(executor, async (tx) => {
    const variant = await requireVariant(tx, ctx, variantId);
    const [row] = await tx
      .update(itemVariants)
      .set({ ...input, updatedAt: sql`now()` })
      .where(and(eq(itemVariants.tenantId, ctx.tenantId), eq(itemVariants.id, variant.id)))
      .returning();
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update',
      entityType: 'item_variant',
      entityId: variantId,
      details: { fields: Object.keys(input) },
    });
    return row!;
  });
}

export async function deleteVariant(executor: Executor, ctx: BusinessContext, variantId: string) {
  return inTransaction(executor, async (tx) => {
    await requireVariant(tx, ctx, variantId);
    await tx
      .update(itemVariants)
      .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(itemVariants.tenantId, ctx.tenantId), eq(itemVariants.id, variantId)));
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'delete',
      entityType: 'item_variant',
      entityId: variantId,
    });
    return { id: variantId };
  });
}

export async function requireItem(executor: Executor, ctx: BusinessContext, itemId: string) {
  const [row] = await executor
    .select()
    .from(items)
    .where(and(scope(ctx), eq(items.id, itemId)));
  if (!row) throw notFound('item', itemId);
  return row;
}

/** A variant of an item of this business (the variant table has no business column of its own). */
export async function requireVariant(
  executor: Executor,
  ctx: BusinessContext,
  variantId: string,
  itemId?: string,
) {
  const [row] = await executor
    .select({ id: itemVariants.id, itemId: itemVariants.itemId, deletedAt: itemVariants.deletedAt })
    .from(itemVariants)
    .innerJoin(items, and(eq(items.tenantId, itemVariants.tenantId), eq(items.id, itemVariants.itemId)))
    .where(
      and(
        eq(itemVariants.tenantId, ctx.tenantId),
        eq(itemVariants.id, variantId),
        eq(items.businessId, ctx.businessId),
      ),
    );
  if (!row) throw notFound('item variant', variantId);
  if (itemId && row.itemId !== itemId)
    throw badRequest(`variant ${variantId} is not a variant of item ${itemId}`);
  return row;
}

/** Checks that every item and variant on document lines belongs to this business; returns the items. */
export async function requireLineItems(
  executor: Executor,
  ctx: BusinessContext,
  lines: readonly { itemId?: string | null; variantId?: string | null }[],
): Promise<Map<string, typeof items.$inferSelect>> {
  const itemIds = [...new Set(lines.map((l) => l.itemId).filter((id): id is string => Boolean(id)))];
  const known = new Map<string, typeof items.$inferSelect>();
  if (itemIds.length) {
    const found = await executor
      .select()
      .from(items)
      .where(and(scope(ctx), inArray(items.id, itemIds)));
    for (const row of found) known.set(row.id, row);
    const missing = itemIds.find((id) => !known.has(id));
    if (missing) throw notFound('item', missing);
  }
  for (const [index, line] of lines.entries()) {
    if (!line.variantId) continue;
    if (!line.itemId) throw badRequest(`line ${index + 1}: a variant needs its item`);
    await requireVariant(executor, ctx, line.variantId, line.itemId);
  }
  return known;
}

/** Changes stock by hand (count, damage, opening stock) and records why, atomically. */
export async function adjustStock(executor: Executor, ctx: BusinessContext, input: StockAdjustmentInput) {
  return inTransaction(executor, async (tx) => {
    const item = await requireItem(tx, ctx, input.itemId);
    if (item.deletedAt) throw badRequest(`item ${item.name} is deleted`);
    if (!item.trackStock) throw badRequest(`item ${item.name} does not track stock`);
    if (input.variantId) await requireVariant(tx, ctx, input.variantId, input.itemId);
    const [row] = await tx
      .insert(stockAdjustments)
      .values({
        tenantId: ctx.tenantId,
        itemId: input.itemId,
        variantId: input.variantId ?? null,
        quantityChange: input.quantityChange,
        reason: input.reason,
        adjustmentDate: input.adjustmentDate,
        notes: input.notes ?? null,
      })
      .returning();
    await applyStockMoves(tx, ctx.tenantId, [
      { itemId: input.itemId, variantId: input.variantId ?? null, quantity: input.quantityChange },
    ]);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'adjust_stock',
      entityType: 'item',
      entityId: input.itemId,
      details: { adjustmentId: row!.id, quantityChange: input.quantityChange, reason: input.reason },
    });
    const [updated] = await tx
      .select({ stockQuantity: items.stockQuantity })
      .from(items)
      .where(and(scope(ctx), eq(items.id, input.itemId)));
    return { adjustment: row!, stockQuantity: updated!.stockQuantity };
  });
}

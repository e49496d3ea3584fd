import { queryRows } from '@hisaabo/db';
import { sql } from 'drizzle-orm';
import type { Executor } from './context.ts';
import { dec } from './money.ts';

/** A change of stock for one item, and for one of its variants when the line names a variant. */
export interface StockMove {
  itemId: string;
  variantId: string | null;
  quantity: string;
}

/** Signed stock moves of document lines (sign +1 brings goods in, −1 takes them out). */
export function linesToMoves(
  lines: readonly { itemId?: string | null; variantId?: string | null; quantity: string }[],
  sign: number,
): StockMove[] {
  if (sign === 0) return [];
  return lines
    .filter((l): l is typeof l & { itemId: string } => Boolean(l.itemId))
    .map((l) => ({
      itemId: l.itemId,
      variantId: l.variantId ?? null,
      quantity: dec(l.quantity).times(sign).toFixed(3),
    }));
}

/** `after − before`, netted per item and variant: an edit moves only the difference. */
export function diffMoves(before: readonly StockMove[], after: readonly StockMove[]): StockMove[] {
  const net = new Map<string, StockMove>();
  const add = (m: StockMove, sign: number) => {
    const key = `${m.itemId}|${m.variantId ?? ''}`;
    const current = net.get(key);
    const q = dec(m.quantity)
      .times(sign)
      .plus(current?.quantity ?? 0);
    net.set(key, { itemId: m.itemId, variantId: m.variantId, quantity: q.toFixed(3) });
  };
  for (const m of before) add(m, -1);
  for (const m of after) add(m, 1);
  return [...net.values()].filter((m) => !dec(m.quantity).isZero());
}

/**
 * Applies stock moves: the item's stock is the total over its variants, and a variant's own stock
 * moves too. Rows are updated in id order so two concurrent documents cannot deadlock. Items that do
 * not track stock (services) are left alone.
 */
export async function applyStockMoves(
  tx: Executor,
  tenantId: string,
  moves: readonly StockMove[],
): Promise<void> {
  const perItem = new Map<string, ReturnType<typeof dec>>();
  const perVariant = new Map<string, ReturnType<typeof dec>>();
  for (const m of moves) {
    perItem.set(m.itemId, (perItem.get(m.itemId) ?? dec(0)).plus(m.quantity));
    if (m.variantId) perVariant.set(m.variantId, (perVariant.get(m.variantId) ?? dec(0)).plus(m.quantity));
  }
  const tracked = new Set<string>();
  for (const itemId of [...perItem.keys()].sort()) {
    const q = perItem.get(itemId)!;
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`UPDATE items SET stock_quantity = stock_quantity + ${q.toFixed(3)}::numeric, updated_at = now()
          WHERE tenant_id = ${tenantId} AND id = ${itemId} AND track_stock RETURNING id`,
    );
    if (rows[0]) tracked.add(itemId);
  }
  const variantItems = new Map(moves.filter((m) => m.variantId).map((m) => [m.variantId!, m.itemId]));
  for (const variantId of [...perVariant.keys()].sort()) {
    if (!tracked.has(variantItems.get(variantId)!)) continue;
    const q = perVariant.get(variantId)!;
    await tx.execute(
      sql`UPDATE item_variants SET stock_quantity = stock_quantity + ${q.toFixed(3)}::numeric, updated_at = now()
          WHERE tenant_id = ${tenantId} AND id = ${variantId}`,
    );
  }
}

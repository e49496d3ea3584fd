import { stockAdjustments } from '@hisaabo/db';
import { type Decimal, dec } from '../../money.ts';
import type { BulkWriter } from '../bulk-writer.ts';
import { type BusinessScope, type SeedContext, audit, stamp } from './context.ts';
import type { SeedItem } from './types.ts';

/**
 * Stock of the business's products, moved by opening stock, adjustments and documents in force; the
 * items' and variants' stock columns are set from it once every movement is made.
 */
export class StockLedger {
  private readonly itemStock = new Map<string, Decimal>();
  private readonly variantStock = new Map<string, Decimal>();
  private readonly tracked: Set<string>;

  constructor(
    private readonly ctx: SeedContext,
    private readonly scope: BusinessScope,
    private readonly products: readonly SeedItem[],
  ) {
    this.tracked = new Set(products.map((p) => p.id));
  }

  isTracked(itemId: string): boolean {
    return this.tracked.has(itemId);
  }

  move(itemId: string, variantId: string | null, quantity: Decimal): void {
    this.itemStock.set(itemId, (this.itemStock.get(itemId) ?? dec(0)).plus(quantity));
    if (variantId)
      this.variantStock.set(variantId, (this.variantStock.get(variantId) ?? dec(0)).plus(quantity));
  }

  /** Opening stock for every product and variant, on the first day. */
  openingStock(): void {
    const { ctx, scope } = this;
    for (const p of this.products) {
      const targets = p.variants.length ? p.variants.map((v) => v.id) : [null];
      for (const variantId of targets) {
        const q = dec(ctx.rng.int(50, 400)).times(Math.max(1, Math.round(scope.docCount / 2000)));
        ctx.rows.push(stockAdjustments, {
          tenantId: ctx.tenantId,
          id: ctx.newId(),
          itemId: p.id,
          variantId,
          quantityChange: q.toFixed(3),
          reason: 'Opening stock',
          adjustmentDate: ctx.startDate,
          notes: null,
          createdAt: scope.created,
        });
        this.move(p.id, variantId, q);
      }
    }
  }

  /** A stock count or damage on `date`: a few units of one product in or out. */
  adjustment(date: string): void {
    const { ctx, scope } = this;
    const { rng } = ctx;
    const product = rng.pick(this.products);
    const variant = product.variants.length ? rng.pick(product.variants) : null;
    const q = dec(rng.int(1, 5)).times(rng.chance(0.7) ? -1 : 1);
    const at = stamp(ctx, date);
    ctx.rows.push(stockAdjustments, {
      tenantId: ctx.tenantId,
      id: ctx.newId(),
      itemId: product.id,
      variantId: variant?.id ?? null,
      quantityChange: q.toFixed(3),
      reason: q.isNegative() ? 'Damaged' : 'Stock count',
      adjustmentDate: date,
      notes: null,
      createdAt: at,
    });
    this.move(product.id, variant?.id ?? null, q);
    audit(ctx, scope.businessId, 'item', product.id, at, { quantityChange: q.toFixed(3) }, 'adjust_stock');
  }

  /** Writes the stock the movements add up to into the items and variants. */
  async save(writer: BulkWriter): Promise<void> {
    const stockIds = [...this.itemStock.keys()];
    await writer.exec(
      `UPDATE items i SET stock_quantity = v.q::numeric FROM unnest($1::uuid[], $2::text[]) AS v(id, q)
       WHERE i.tenant_id = $3 AND i.id = v.id`,
      [stockIds, stockIds.map((id) => this.itemStock.get(id)!.toFixed(3)), this.ctx.tenantId],
    );
    const variantIds = [...this.variantStock.keys()];
    await writer.exec(
      `UPDATE item_variants i SET stock_quantity = v.q::numeric FROM unnest($1::uuid[], $2::text[]) AS v(id, q)
       WHERE i.tenant_id = $3 AND i.id = v.id`,
      [variantIds, variantIds.map((id) => this.variantStock.get(id)!.toFixed(3)), this.ctx.tenantId],
    );
  }
}

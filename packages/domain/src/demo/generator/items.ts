import { items, itemVariants } from '@hisaabo/db';
import { dec, toMoney } from '../../money.ts';
import { ITEMS } from '../catalog.ts';
import { type BusinessScope, type SeedContext, audit } from './context.ts';
import type { SeedItem } from './types.ts';

/** The catalog's items and their variants; stock starts at zero and is set from the movements. */
export function generateItems(ctx: SeedContext, scope: BusinessScope): SeedItem[] {
  const { index, businessId, created } = scope;
  const result: SeedItem[] = [];
  for (const [i, c] of ITEMS.entries()) {
    const id = ctx.newId();
    const salePrice = toMoney(c.price);
    const purchasePrice = toMoney(dec(c.price).times(0.72).toDecimalPlaces(2));
    const sku = `SKU-${index + 1}-${String(i + 1).padStart(3, '0')}`;
    const item: SeedItem = {
      id,
      name: c.name,
      type: c.type,
      unit: c.unit,
      hsn: c.hsn,
      salePrice,
      purchasePrice,
      taxRate: c.taxRate,
      taxInclusive: c.taxInclusive ?? false,
      variants: [],
    };
    ctx.rows.push(items, {
      tenantId: ctx.tenantId,
      id,
      businessId,
      type: c.type,
      name: c.name,
      sku,
      hsnCode: c.hsn,
      unit: c.unit,
      salePrice,
      purchasePrice,
      taxRate: c.taxRate,
      taxInclusive: item.taxInclusive,
      trackStock: c.type === 'product',
      stockQuantity: '0.000',
      lowStockAlert: c.type === 'product' ? '10.000' : null,
      createdAt: created,
      updatedAt: created,
    });
    for (const v of c.variants ?? []) {
      const vid = ctx.newId();
      const vSale = toMoney(dec(c.price).plus(v.priceDelta));
      const vPurchase = toMoney(dec(vSale).times(0.72).toDecimalPlaces(2));
      item.variants.push({ id: vid, name: v.name, salePrice: vSale, purchasePrice: vPurchase });
      ctx.rows.push(itemVariants, {
        tenantId: ctx.tenantId,
        id: vid,
        itemId: id,
        name: v.name,
        attributes: v.attributes,
        sku: `${sku}-${v.name.toUpperCase()}`,
        salePrice: vSale,
        purchasePrice: vPurchase,
        stockQuantity: '0.000',
        createdAt: created,
        updatedAt: created,
      });
    }
    result.push(item);
    audit(ctx, businessId, 'item', id, created, { name: c.name, variants: item.variants.length });
  }
  return result;
}

import { type DocumentType, invoiceItems, invoices } from '@hisaabo/db';
import { addDays } from '../../dates.ts';
import { isPayable, stockSign } from '../../ledger.ts';
import { dec, toMoney } from '../../money.ts';
import { sequenceKindFor } from '../../numbering.ts';
import { computeInvoiceTotals, computeLine, type LineTotals } from '../../totals.ts';
import { type BusinessScope, type SeedContext, audit, stamp } from './context.ts';
import type { DocumentNumbers } from './numbering.ts';
import type { PaymentBook } from './payments.ts';
import type { StockLedger } from './stock.ts';
import type { Party, PlannedLine, SeedItem } from './types.ts';

/** A document to write: who, when, what, and what it corrects or which contract billed it. */
export interface PlannedDocument {
  docType: DocumentType;
  direction: 'sale' | 'purchase';
  partyId: string;
  date: string;
  lines: PlannedLine[];
  referenceId: string | null;
  templateId: string | null;
  dueInDays: number;
}

/** A payable document in force, that a later correction may refer to. */
interface PastDocument {
  id: string;
  partyId: string;
  lines: PlannedLine[];
}

/** Corrections pick their source among this many recent documents of their direction. */
const RECENT_DOCUMENTS = 200;

export interface DocumentParties {
  customers: readonly Party[];
  suppliers: readonly Party[];
}

/**
 * Writes a business's documents with their lines, totals, statuses and payments, moving stock as the
 * domain does; corrections refer to a recent document of the same party.
 */
export class DocumentWriter {
  private readonly products: SeedItem[];
  private readonly services: SeedItem[];
  private readonly recentSales: PastDocument[] = [];
  private readonly recentPurchases: PastDocument[] = [];
  /** The same line prices the same way: computed once per distinct line. */
  private readonly lineCache: Map<string, LineTotals>;

  constructor(
    private readonly ctx: SeedContext,
    private readonly scope: BusinessScope,
    private readonly placeOfSupply: string,
    catalog: readonly SeedItem[],
    private readonly parties: DocumentParties,
    private readonly numbers: DocumentNumbers,
    private readonly stock: StockLedger,
    private readonly payments: PaymentBook,
    lineCache: Map<string, LineTotals>,
  ) {
    this.products = catalog.filter((i) => i.type === 'product');
    this.services = catalog.filter((i) => i.type === 'service');
    this.lineCache = lineCache;
  }

  /** Writes the document and its lines; returns its id. */
  write(doc: PlannedDocument): string {
    const { ctx } = this;
    const { rng, tenantId } = ctx;
    const id = ctx.newId();
    const priced = doc.lines.map((l) => this.priceLine(l));
    const gross = priced.reduce((acc, l) => acc.plus(l.total), dec(0));
    const discount =
      rng.chance(0.08) && gross.greaterThan(1000)
        ? rng.chance(0.5)
          ? { type: 'amount' as const, value: '50.00' }
          : { type: 'percent' as const, value: '2.00' }
        : undefined;
    const totals = computeInvoiceTotals({ lines: priced, discount, roundToRupee: rng.chance(0.5) });
    const payable = isPayable(doc.docType);
    const r = rng.next();
    let status: (typeof invoices.$inferInsert)['status'];
    let cancelledAt: string | null = null;
    let deletedAt: string | null = null;
    const at = stamp(ctx, doc.date);
    if (doc.templateId) status = 'unpaid';
    else if (r < 0.015) {
      status = 'cancelled';
      cancelledAt = stamp(ctx, addDays(doc.date, 1));
    } else if (r < 0.025) status = 'draft';
    else if (r < 0.03) {
      status = payable ? 'unpaid' : 'sent';
      deletedAt = stamp(ctx, addDays(doc.date, 2));
    } else if (payable) status = 'unpaid';
    else if (doc.docType === 'quotation')
      status = rng.pick(['sent', 'accepted', 'declined', 'converted'] as const);
    else status = rng.pick(['sent', 'accepted'] as const);
    const effective = status !== 'draft' && status !== 'cancelled' && deletedAt === null;
    let amountPaid = dec(0);
    if (payable && effective) {
      const p = rng.next();
      if (p < 0.55) amountPaid = dec(totals.total);
      else if (p < 0.75)
        amountPaid = dec(totals.total).times(rng.int(20, 80)).dividedBy(100).toDecimalPlaces(0, 1);
      if (amountPaid.greaterThan(0))
        status = amountPaid.greaterThanOrEqualTo(totals.total) ? 'paid' : 'partial';
    }
    const number = this.numbers.take(sequenceKindFor(doc.docType, doc.direction));
    ctx.rows.push(invoices, {
      tenantId,
      id,
      businessId: this.scope.businessId,
      partyId: doc.partyId,
      docType: doc.docType,
      direction: doc.direction,
      number,
      status,
      invoiceDate: doc.date,
      dueDate: addDays(doc.date, doc.dueInDays),
      referenceInvoiceId: doc.referenceId,
      recurringTemplateId: doc.templateId,
      placeOfSupply: this.placeOfSupply,
      subtotal: totals.subtotal,
      discountAmount: totals.discountAmount,
      taxAmount: totals.taxAmount,
      roundOff: totals.roundOff,
      total: totals.total,
      amountPaid: toMoney(amountPaid),
      notes: doc.templateId ? 'Monthly service contract' : null,
      cancelledAt,
      deletedAt,
      createdAt: at,
      updatedAt: deletedAt ?? cancelledAt ?? at,
    });
    const sign = stockSign(doc.docType, doc.direction);
    doc.lines.forEach((l, i) => {
      const t = priced[i]!;
      ctx.rows.push(invoiceItems, {
        tenantId,
        id: ctx.newId(),
        invoiceId: id,
        position: i + 1,
        itemId: l.itemId,
        variantId: l.variantId,
        description: l.description,
        hsnCode: l.hsn,
        unit: l.unit,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        discountPercent: l.discountPercent,
        taxRate: l.taxRate,
        taxInclusive: l.taxInclusive,
        taxableAmount: t.taxableAmount,
        taxAmount: t.taxAmount,
        total: t.total,
      });
      if (effective && sign !== 0 && l.itemId && this.stock.isTracked(l.itemId))
        this.stock.move(l.itemId, l.variantId, dec(l.quantity).times(sign));
    });
    audit(ctx, this.scope.businessId, 'invoice', id, at, {
      docType: doc.docType,
      direction: doc.direction,
      number,
      total: totals.total,
    });
    if (amountPaid.greaterThan(0))
      this.payments.owe(doc.partyId, doc.direction === 'sale' ? 'in' : 'out', {
        invoiceId: id,
        amount: toMoney(amountPaid),
        date: doc.date,
      });
    if (effective && payable && doc.templateId === null) {
      const ring = doc.direction === 'sale' ? this.recentSales : this.recentPurchases;
      ring.push({ id, partyId: doc.partyId, lines: doc.lines });
      if (ring.length > RECENT_DOCUMENTS) ring.shift();
    }
    return id;
  }

  /**
   * The next ordinary document on `date`: mostly sales invoices, then purchases, quotations,
   * proformas, delivery challans and corrections (a sale instead while nothing can be corrected).
   */
  pickRegular(date: string): PlannedDocument {
    const { rng } = this.ctx;
    const r = rng.next();
    const sale = (docType: 'invoice' | 'quotation' | 'proforma' | 'delivery_challan'): PlannedDocument => ({
      docType,
      direction: 'sale',
      partyId: rng.pick(this.parties.customers).id,
      date,
      lines: this.makeLines('sale'),
      referenceId: null,
      templateId: null,
      dueInDays: rng.pick([0, 7, 15, 30]),
    });
    if (r < 0.58) return sale('invoice');
    if (r < 0.74)
      return {
        docType: 'invoice',
        direction: 'purchase',
        partyId: rng.pick(this.parties.suppliers).id,
        date,
        lines: this.makeLines('purchase'),
        referenceId: null,
        templateId: null,
        dueInDays: 30,
      };
    if (r < 0.8) return sale('quotation');
    if (r < 0.83) return sale('proforma');
    if (r < 0.87) return sale('delivery_challan');
    const docType =
      r < 0.91 ? 'credit_note' : r < 0.95 ? 'sales_return' : r < 0.97 ? 'debit_note' : 'purchase_return';
    return this.correction(docType, date) ?? sale('invoice');
  }

  private correction(
    docType: 'credit_note' | 'sales_return' | 'debit_note' | 'purchase_return',
    date: string,
  ): PlannedDocument | null {
    const purchase = docType === 'debit_note' || docType === 'purchase_return';
    const ring = purchase ? this.recentPurchases : this.recentSales;
    if (!ring.length) return null;
    const source = this.ctx.rng.pick(ring);
    return {
      docType,
      direction: purchase ? 'purchase' : 'sale',
      partyId: source.partyId,
      date,
      lines: this.correctionLines(source),
      referenceId: source.id,
      templateId: null,
      dueInDays: 0,
    };
  }

  /** 2 to 9 lines (5.5 on average), so with one-line contracts and short corrections a document has about 5. */
  private makeLines(direction: 'sale' | 'purchase'): PlannedLine[] {
    const { rng } = this.ctx;
    const count = rng.int(2, 9);
    const lines: PlannedLine[] = [];
    for (let l = 0; l < count; l++) {
      const item =
        direction === 'purchase' || rng.chance(0.85) ? rng.pick(this.products) : rng.pick(this.services);
      const variant = item.variants.length ? rng.pick(item.variants) : null;
      const unitPrice =
        direction === 'sale'
          ? (variant?.salePrice ?? item.salePrice)
          : (variant?.purchasePrice ?? item.purchasePrice);
      lines.push({
        itemId: item.id,
        variantId: variant?.id ?? null,
        description: variant ? `${item.name} (${variant.name})` : item.name,
        hsn: item.hsn,
        unit: item.unit,
        quantity: `${item.type === 'service' ? rng.int(1, 3) : rng.int(1, 20)}.000`,
        unitPrice,
        discountPercent: rng.pick(['0.00', '0.00', '0.00', '0.00', '2.50', '5.00', '10.00']),
        taxRate: item.taxRate,
        taxInclusive: item.taxInclusive,
      });
    }
    return lines;
  }

  /** Part of what a document sold or bought, in smaller quantities. */
  private correctionLines(source: PastDocument): PlannedLine[] {
    const { rng } = this.ctx;
    const count = rng.int(1, Math.min(3, source.lines.length));
    return source.lines.slice(0, count).map((l) => ({
      ...l,
      quantity: `${rng.int(1, Math.max(1, Number.parseInt(l.quantity, 10)))}.000`,
    }));
  }

  private priceLine(l: PlannedLine): LineTotals {
    const key = `${l.quantity}|${l.unitPrice}|${l.discountPercent}|${l.taxRate}|${l.taxInclusive}`;
    let totals = this.lineCache.get(key);
    if (!totals) {
      totals = computeLine(l);
      this.lineCache.set(key, totals);
    }
    return totals;
  }
}

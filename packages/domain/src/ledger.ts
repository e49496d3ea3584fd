import type { DocumentType } from '@hisaabo/db';
import { sql } from 'drizzle-orm';

type Direction = 'sale' | 'purchase';

/**
 * How a document moves what a party owes: +1 raises what they owe us (or lowers what we owe them),
 * −1 the reverse, 0 for documents that are not claims (quotations, proformas, challans).
 */
export function balanceSign(docType: DocumentType, direction: Direction): -1 | 0 | 1 {
  if (direction === 'sale') {
    if (docType === 'invoice' || docType === 'debit_note') return 1;
    if (docType === 'credit_note' || docType === 'sales_return') return -1;
    return 0;
  }
  if (docType === 'invoice') return -1;
  if (docType === 'purchase_return' || docType === 'debit_note' || docType === 'credit_note') return 1;
  return 0;
}

/** The same rule in SQL, for aggregate queries over `invoices` aliased as `i`. */
export const balanceSignSql = sql.raw(`(CASE
  WHEN i.direction = 'sale' AND i.doc_type IN ('invoice','debit_note') THEN 1
  WHEN i.direction = 'sale' AND i.doc_type IN ('credit_note','sales_return') THEN -1
  WHEN i.direction = 'purchase' AND i.doc_type = 'invoice' THEN -1
  WHEN i.direction = 'purchase' AND i.doc_type IN ('purchase_return','debit_note','credit_note') THEN 1
  ELSE 0 END)`);

/** A document counts in balances and stock unless it is a draft, cancelled or deleted. */
export const effectiveInvoiceSql = sql.raw(
  `(i.deleted_at IS NULL AND i.status NOT IN ('draft','cancelled'))`,
);

export function isEffective(row: { status: string; deletedAt: string | null }): boolean {
  return row.deletedAt === null && row.status !== 'draft' && row.status !== 'cancelled';
}

/** Only invoices (sale or purchase bills) take payments. */
export function isPayable(docType: DocumentType): boolean {
  return docType === 'invoice';
}

/**
 * Stock movement of a document per unit on its lines: sales, challans and purchase returns take
 * goods out; purchases and sales returns bring them in; quotations, proformas and notes move none.
 */
export function stockSign(docType: DocumentType, direction: Direction): -1 | 0 | 1 {
  switch (docType) {
    case 'invoice':
      return direction === 'sale' ? -1 : 1;
    case 'delivery_challan':
      return direction === 'sale' ? -1 : 1;
    case 'sales_return':
      return 1;
    case 'purchase_return':
      return -1;
    default:
      return 0;
  }
}

export const stockSignSql = sql.raw(`(CASE
  WHEN i.doc_type IN ('invoice','delivery_challan') AND i.direction = 'sale' THEN -1
  WHEN i.doc_type IN ('invoice','delivery_challan') AND i.direction = 'purchase' THEN 1
  WHEN i.doc_type = 'sales_return' THEN 1
  WHEN i.doc_type = 'purchase_return' THEN -1
  ELSE 0 END)`);

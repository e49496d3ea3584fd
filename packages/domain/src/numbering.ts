import { type DocumentType, documentSequences, queryRows, type SEQUENCE_KINDS } from '@hisaabo/db';
import { and, eq, sql } from 'drizzle-orm';
import type { BusinessContext, Executor } from './context.ts';
import { DomainError, notFound } from './errors.ts';

export type SequenceKind = (typeof SEQUENCE_KINDS)[number];

/** Default prefixes, one per sequence, all distinct so a number alone tells the document kind. */
export const DEFAULT_PREFIXES: Readonly<Record<SequenceKind, string>> = {
  invoice: 'INV',
  quotation: 'QTN',
  proforma: 'PI',
  delivery_challan: 'DC',
  credit_note: 'CN',
  debit_note: 'DN',
  sales_return: 'SR',
  purchase_return: 'PR',
  purchase: 'PUR',
  payment_in: 'PAY',
  payment_out: 'POUT',
};

/** Purchase invoices (bills) have their own series; every other document type has one per type. */
export function sequenceKindFor(docType: DocumentType, direction: 'sale' | 'purchase'): SequenceKind {
  return docType === 'invoice' && direction === 'purchase' ? 'purchase' : docType;
}

export function formatNumber(prefix: string, n: number, padding: number): string {
  return `${prefix}-${String(n).padStart(padding, '0')}`;
}

/**
 * Takes the next number of a sequence. The UPDATE locks the sequence row until the caller's
 * transaction ends, so concurrent creates queue up: numbers are never duplicated, and a rolled-back
 * create gives its number back, so none is skipped.
 */
export async function takeNumber(tx: Executor, ctx: BusinessContext, kind: SequenceKind): Promise<string> {
  const rows = await queryRows<{ prefix: string; n: number; padding: number }>(
    tx,
    sql`UPDATE document_sequences SET next_number = next_number + 1, updated_at = now()
        WHERE tenant_id = ${ctx.tenantId} AND business_id = ${ctx.businessId} AND kind = ${kind}
        RETURNING prefix, next_number - 1 AS n, padding`,
  );
  const row = rows[0];
  if (!row) throw notFound(`document sequence ${kind} of business`, ctx.businessId);
  return formatNumber(row.prefix, Number(row.n), Number(row.padding));
}

export function listSequences(tx: Executor, ctx: BusinessContext) {
  return tx
    .select()
    .from(documentSequences)
    .where(
      and(eq(documentSequences.tenantId, ctx.tenantId), eq(documentSequences.businessId, ctx.businessId)),
    )
    .orderBy(documentSequences.kind);
}

/** Moves a counter forward (never back: that would hand out numbers already used) or renames its prefix. */
export async function updateSequence(
  tx: Executor,
  ctx: BusinessContext,
  input: { kind: SequenceKind; nextNumber?: number; prefix?: string },
) {
  const rows = await queryRows<{ id: string; next_number: number; prefix: string }>(
    tx,
    sql`SELECT id, next_number, prefix FROM document_sequences
        WHERE tenant_id = ${ctx.tenantId} AND business_id = ${ctx.businessId} AND kind = ${input.kind}
        FOR UPDATE`,
  );
  const current = rows[0];
  if (!current) throw notFound(`document sequence ${input.kind} of business`, ctx.businessId);
  if (input.nextNumber !== undefined && input.nextNumber < Number(current.next_number)) {
    throw new DomainError(
      'BAD_REQUEST',
      `next number of ${input.kind} can only move forward: it is ${current.next_number}, asked ${input.nextNumber}`,
    );
  }
  const [updated] = await tx
    .update(documentSequences)
    .set({
      nextNumber: input.nextNumber ?? Number(current.next_number),
      prefix: input.prefix ?? current.prefix,
      updatedAt: sql`now()`,
    })
    .where(and(eq(documentSequences.tenantId, ctx.tenantId), eq(documentSequences.id, current.id)))
    .returning();
  return updated!;
}

import {
  type DocumentType,
  invoiceItems,
  invoices,
  paymentAllocations,
  payments,
  queryRows,
} from '@hisaabo/db';
import { and, asc, desc, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import { writeAudit } from './audit.ts';
import { findBusinessRow, lockBusinessRow } from './business-row.ts';
import { type BusinessContext, type Executor, inTransaction, type Tx } from './context.ts';
import { badRequest, DomainError, notFound } from './errors.ts';
import { requireLineItems } from './item.ts';
import { isEffective, isPayable, stockSign } from './ledger.ts';
import { dec } from './money.ts';
import { sequenceKindFor, takeNumber } from './numbering.ts';
import { requireParty } from './party.ts';
import type { InvoiceInput, LineItemInput } from './schemas.ts';
import { applyStockMoves, diffMoves, linesToMoves, type StockMove } from './stock.ts';
import { computeInvoiceTotals, computeLine } from './totals.ts';

export type Invoice = typeof invoices.$inferSelect;
export type InvoiceLine = typeof invoiceItems.$inferSelect;
export type InvoiceStatus = Invoice['status'];

/** unpaid / partial / paid, from what has been allocated against the total. */
export function paymentStatus(total: string, amountPaid: string): 'unpaid' | 'partial' | 'paid' {
  const paid = dec(amountPaid);
  if (paid.greaterThanOrEqualTo(total)) return 'paid';
  return paid.isZero() ? 'unpaid' : 'partial';
}

const PAYABLE_SETTABLE: readonly InvoiceStatus[] = ['draft', 'unpaid'];
const OTHER_SETTABLE: readonly InvoiceStatus[] = ['draft', 'sent', 'accepted', 'declined', 'converted'];

function checkSettableStatus(docType: DocumentType, status: InvoiceStatus): void {
  const allowed = isPayable(docType) ? PAYABLE_SETTABLE : OTHER_SETTABLE;
  if (!allowed.includes(status)) {
    throw badRequest(
      `status ${status} cannot be set on a ${docType}: allowed are ${allowed.join(', ')}` +
        (isPayable(docType) ? ' (partial and paid follow from payments; use cancel to cancel)' : ''),
    );
  }
}

/** Computes every line and the invoice totals on the server: client totals are never trusted. */
function priceLines(
  input: Pick<InvoiceInput, 'lines' | 'discount' | 'roundToRupee'>,
  known: Map<string, { taxRate: string; taxInclusive: boolean; hsnCode: string | null; unit: string }>,
) {
  const lines = input.lines.map((line: LineItemInput, index) => {
    const item = line.itemId ? known.get(line.itemId) : undefined;
    const taxRate = line.taxRate ?? item?.taxRate ?? '0';
    const taxInclusive = line.taxInclusive ?? item?.taxInclusive ?? false;
    const totals = computeLine({ ...line, taxRate, taxInclusive });
    return {
      position: index + 1,
      itemId: line.itemId ?? null,
      variantId: line.variantId ?? null,
      description: line.description,
      hsnCode: line.hsnCode ?? item?.hsnCode ?? null,
      unit: line.unit ?? item?.unit ?? null,
      quantity: dec(line.quantity).toFixed(3),
      unitPrice: dec(line.unitPrice).toFixed(2),
      discountPercent: dec(line.discountPercent ?? 0).toFixed(2),
      taxRate: dec(taxRate).toFixed(2),
      taxInclusive,
      ...totals,
    };
  });
  try {
    const totals = computeInvoiceTotals({
      lines,
      discount: input.discount ?? undefined,
      roundToRupee: input.roundToRupee,
    });
    return { lines, totals };
  } catch (error) {
    if (error instanceof RangeError) throw badRequest(error.message);
    throw error;
  }
}

async function checkReferences(
  tx: Executor,
  ctx: BusinessContext,
  input: Pick<InvoiceInput, 'partyId' | 'referenceInvoiceId'>,
  selfId?: string,
) {
  if (input.partyId) await requireParty(tx, ctx, input.partyId);
  if (input.referenceInvoiceId) {
    if (input.referenceInvoiceId === selfId) throw badRequest('a document cannot reference itself');
    const [ref] = await tx
      .select({ id: invoices.id, deletedAt: invoices.deletedAt })
      .from(invoices)
      .where(
        and(
          eq(invoices.tenantId, ctx.tenantId),
          eq(invoices.businessId, ctx.businessId),
          eq(invoices.id, input.referenceInvoiceId),
        ),
      );
    if (!ref || ref.deletedAt) throw notFound('referenced document', input.referenceInvoiceId);
  }
}

/** The stock this document moves while it is in force (none for drafts, cancelled or deleted ones). */
function movesOf(
  doc: Pick<Invoice, 'docType' | 'direction' | 'status' | 'deletedAt'>,
  lines: readonly { itemId: string | null; variantId: string | null; quantity: string }[],
): StockMove[] {
  return isEffective(doc) ? linesToMoves(lines, stockSign(doc.docType, doc.direction)) : [];
}

/** The fields a user edits on a document; creation writes them as an update replaces them. */
function editableFields(input: InvoiceUpdate) {
  return {
    partyId: input.partyId ?? null,
    invoiceDate: input.invoiceDate,
    dueDate: input.dueDate ?? null,
    referenceInvoiceId: input.referenceInvoiceId ?? null,
    placeOfSupply: input.placeOfSupply ?? null,
    billingAddress: input.billingAddress ?? null,
    shippingAddress: input.shippingAddress ?? null,
    notes: input.notes ?? null,
    terms: input.terms ?? null,
  };
}

export async function createInvoice(
  executor: Executor,
  ctx: BusinessContext,
  input: InvoiceInput,
  origin: { recurringTemplateId?: string } = {},
) {
  return inTransaction(executor, async (tx) => {
    await checkReferences(tx, ctx, input);
    const known = await requireLineItems(tx, ctx, input.lines);
    const { lines, totals } = priceLines(input, known);
    const status: InvoiceStatus = input.status ?? (isPayable(input.docType) ? 'unpaid' : 'sent');
    checkSettableStatus(input.docType, status);
    const number = await takeNumber(tx, ctx, sequenceKindFor(input.docType, input.direction));
    const [invoice] = await tx
      .insert(invoices)
      .values({
        tenantId: ctx.tenantId,
        businessId: ctx.businessId,
        docType: input.docType,
        direction: input.direction,
        number,
        status: isPayable(input.docType) && status === 'unpaid' ? paymentStatus(totals.total, '0') : status,
        recurringTemplateId: origin.recurringTemplateId ?? null,
        ...editableFields(input),
        ...totals,
      })
      .returning();
    const inserted = await tx
      .insert(invoiceItems)
      .values(lines.map((l) => ({ ...l, tenantId: ctx.tenantId, invoiceId: invoice!.id })))
      .returning();
    await applyStockMoves(tx, ctx.tenantId, movesOf(invoice!, inserted));
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'create',
      entityType: 'invoice',
      entityId: invoice!.id,
      details: { docType: invoice!.docType, direction: invoice!.direction, number, total: invoice!.total },
    });
    return { ...invoice!, lines: inserted };
  });
}

/** Locks and returns a document of this business that is not deleted. */
async function lockInvoice(tx: Tx, ctx: BusinessContext, invoiceId: string) {
  const row = await lockBusinessRow(tx, invoices, ctx, invoiceId, 'document');
  if (row.deletedAt) throw notFound('document', invoiceId);
  return row;
}

async function linesOf(executor: Executor, tenantId: string, invoiceId: string) {
  return executor
    .select()
    .from(invoiceItems)
    .where(and(eq(invoiceItems.tenantId, tenantId), eq(invoiceItems.invoiceId, invoiceId)))
    .orderBy(asc(invoiceItems.position));
}

export type InvoiceUpdate = Omit<InvoiceInput, 'docType' | 'direction' | 'status'>;

/** Replaces a document's content; stock moves by the difference, payments already made are kept. */
export async function updateInvoice(
  executor: Executor,
  ctx: BusinessContext,
  invoiceId: string,
  input: InvoiceUpdate,
) {
  return inTransaction(executor, async (tx) => {
    const current = await lockInvoice(tx, ctx, invoiceId);
    if (current.status === 'cancelled')
      throw new DomainError('PRECONDITION_FAILED', `document ${current.number} is cancelled`);
    await checkReferences(tx, ctx, input, invoiceId);
    const known = await requireLineItems(tx, ctx, input.lines);
    const { lines, totals } = priceLines(input, known);
    if (dec(totals.total).lessThan(current.amountPaid)) {
      throw new DomainError(
        'PRECONDITION_FAILED',
        `new total ${totals.total} is below the ${current.amountPaid} already paid on ${current.number}`,
      );
    }
    const oldLines = await linesOf(tx, ctx.tenantId, invoiceId);
    const status =
      isPayable(current.docType) && current.status !== 'draft'
        ? paymentStatus(totals.total, current.amountPaid)
        : current.status;
    const [updated] = await tx
      .update(invoices)
      .set({
        ...editableFields(input),
        status,
        ...totals,
        updatedAt: sql`now()`,
      })
      .where(and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.id, invoiceId)))
      .returning();
    await tx
      .delete(invoiceItems)
      .where(and(eq(invoiceItems.tenantId, ctx.tenantId), eq(invoiceItems.invoiceId, invoiceId)));
    const inserted = await tx
      .insert(invoiceItems)
      .values(lines.map((l) => ({ ...l, tenantId: ctx.tenantId, invoiceId })))
      .returning();
    await applyStockMoves(
      tx,
      ctx.tenantId,
      diffMoves(movesOf(current, oldLines), movesOf(updated!, inserted)),
    );
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update',
      entityType: 'invoice',
      entityId: invoiceId,
      details: { number: current.number, totalBefore: current.total, total: updated!.total },
    });
    return { ...updated!, lines: inserted };
  });
}

/** Moves a document between its user-set statuses (draft ↔ unpaid for invoices; quotation workflow). */
export async function updateInvoiceStatus(
  executor: Executor,
  ctx: BusinessContext,
  invoiceId: string,
  status: InvoiceStatus,
) {
  return inTransaction(executor, async (tx) => {
    const current = await lockInvoice(tx, ctx, invoiceId);
    if (current.status === 'cancelled')
      throw new DomainError('PRECONDITION_FAILED', `document ${current.number} is cancelled`);
    checkSettableStatus(current.docType, status);
    if (status === 'draft' && !dec(current.amountPaid).isZero()) {
      throw new DomainError(
        'PRECONDITION_FAILED',
        `document ${current.number} has payments and cannot go back to draft`,
      );
    }
    const next =
      isPayable(current.docType) && status !== 'draft'
        ? paymentStatus(current.total, current.amountPaid)
        : status;
    return changeState(tx, ctx, current, { status: next }, 'update_status');
  });
}

/** Cancels a document: its stock comes back; refused while payments are allocated to it. */
export async function cancelInvoice(executor: Executor, ctx: BusinessContext, invoiceId: string) {
  return inTransaction(executor, async (tx) => {
    const current = await lockInvoice(tx, ctx, invoiceId);
    if (current.status === 'cancelled')
      throw new DomainError('PRECONDITION_FAILED', `document ${current.number} is already cancelled`);
    await refuseIfPaid(tx, ctx, current);
    return changeState(tx, ctx, current, { status: 'cancelled', cancelledAt: sql`now()` }, 'cancel');
  });
}

/** Soft-deletes a document (its number stays taken); stock comes back as on cancel. */
export async function deleteInvoice(executor: Executor, ctx: BusinessContext, invoiceId: string) {
  return inTransaction(executor, async (tx) => {
    const current = await lockInvoice(tx, ctx, invoiceId);
    await refuseIfPaid(tx, ctx, current);
    await changeState(tx, ctx, current, { deletedAt: sql`now()` }, 'delete');
    return { id: invoiceId };
  });
}

async function refuseIfPaid(tx: Tx, ctx: BusinessContext, current: Invoice) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(paymentAllocations)
    .where(and(eq(paymentAllocations.tenantId, ctx.tenantId), eq(paymentAllocations.invoiceId, current.id)));
  if (Number(row?.n ?? 0) > 0) {
    throw new DomainError(
      'PRECONDITION_FAILED',
      `document ${current.number} has ${row?.n} payment allocation(s) totalling ${current.amountPaid}: delete or change those payments first`,
    );
  }
}

async function changeState(
  tx: Tx,
  ctx: BusinessContext,
  current: Invoice,
  change: Partial<Record<'status' | 'cancelledAt' | 'deletedAt', unknown>>,
  action: string,
) {
  const [updated] = await tx
    .update(invoices)
    .set({ ...(change as Partial<Invoice>), updatedAt: sql`now()` })
    .where(and(eq(invoices.tenantId, ctx.tenantId), eq(invoices.id, current.id)))
    .returning();
  const lines = await linesOf(tx, ctx.tenantId, current.id);
  await applyStockMoves(tx, ctx.tenantId, diffMoves(movesOf(current, lines), movesOf(updated!, lines)));
  await writeAudit(tx, ctx, {
    businessId: ctx.businessId,
    action,
    entityType: 'invoice',
    entityId: current.id,
    details: { number: current.number, statusBefore: current.status, status: updated!.status },
  });
  return updated!;
}

export async function getInvoice(executor: Executor, ctx: BusinessContext, invoiceId: string) {
  const invoice = await findBusinessRow(executor, invoices, ctx, invoiceId, 'document');
  const [lines, allocations] = await Promise.all([
    linesOf(executor, ctx.tenantId, invoiceId),
    executor
      .select({
        paymentId: paymentAllocations.paymentId,
        amount: paymentAllocations.amount,
        number: payments.number,
        paymentDate: payments.paymentDate,
      })
      .from(paymentAllocations)
      .innerJoin(
        payments,
        and(
          eq(payments.tenantId, paymentAllocations.tenantId),
          eq(payments.id, paymentAllocations.paymentId),
        ),
      )
      .where(and(eq(paymentAllocations.tenantId, ctx.tenantId), eq(paymentAllocations.invoiceId, invoiceId)))
      .orderBy(asc(payments.paymentDate), asc(payments.number)),
  ]);
  return { ...invoice, lines, allocations, balance: dec(invoice.total).minus(invoice.amountPaid).toFixed(2) };
}

export interface InvoiceFilter {
  docType?: DocumentType;
  direction?: 'sale' | 'purchase';
  status?: InvoiceStatus;
  partyId?: string;
  from?: string;
  to?: string;
  includeDeleted?: boolean;
  limit: number;
  offset: number;
}

export async function listInvoices(executor: Executor, ctx: BusinessContext, filter: InvoiceFilter) {
  const conditions = [eq(invoices.tenantId, ctx.tenantId), eq(invoices.businessId, ctx.businessId)];
  if (!filter.includeDeleted) conditions.push(isNull(invoices.deletedAt));
  if (filter.docType) conditions.push(eq(invoices.docType, filter.docType));
  if (filter.direction) conditions.push(eq(invoices.direction, filter.direction));
  if (filter.status) conditions.push(eq(invoices.status, filter.status));
  if (filter.partyId) conditions.push(eq(invoices.partyId, filter.partyId));
  if (filter.from) conditions.push(gte(invoices.invoiceDate, filter.from));
  if (filter.to) conditions.push(lte(invoices.invoiceDate, filter.to));
  const where = and(...conditions);
  const [rows, [count]] = await Promise.all([
    executor
      .select()
      .from(invoices)
      .where(where)
      .orderBy(desc(invoices.invoiceDate), desc(invoices.number))
      .limit(filter.limit)
      .offset(filter.offset),
    executor.select({ n: sql<number>`count(*)::int` }).from(invoices).where(where),
  ]);
  return { invoices: rows, total: Number(count?.n ?? 0) };
}

/** Recomputes `amount_paid` and the payment status of invoices from their allocations. */
export async function refreshPaidAmounts(
  tx: Executor,
  tenantId: string,
  invoiceIds: readonly string[],
): Promise<void> {
  for (const invoiceId of [...new Set(invoiceIds)].sort()) {
    await queryRows(
      tx,
      sql`UPDATE invoices i SET
            amount_paid = s.paid,
            status = CASE WHEN i.status IN ('draft','cancelled') THEN i.status
                          WHEN s.paid >= i.total THEN 'paid'
                          WHEN s.paid = 0 THEN 'unpaid' ELSE 'partial' END,
            updated_at = now()
          FROM (SELECT COALESCE(sum(amount), 0)::numeric(15,2) AS paid FROM payment_allocations
                WHERE tenant_id = ${tenantId} AND invoice_id = ${invoiceId}) s
          WHERE i.tenant_id = ${tenantId} AND i.id = ${invoiceId}`,
    );
  }
}

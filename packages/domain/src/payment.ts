import { bankTransactions, invoices, paymentAllocations, payments } from '@hisaabo/db';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { writeAudit } from './audit.ts';
import { requireAccount } from './bank-account.ts';
import { findBusinessRow, lockBusinessRow } from './business-row.ts';
import { type BusinessContext, type Executor, inTransaction, type Tx } from './context.ts';
import { badRequest, DomainError, notFound } from './errors.ts';
import { refreshPaidAmounts } from './invoice.ts';
import { isPayable } from './ledger.ts';
import { dec, sumMoney, toMoney } from './money.ts';
import { takeNumber } from './numbering.ts';
import { requireParty } from './party.ts';
import type { PaymentInput } from './schemas.ts';

type PaymentFields = Omit<PaymentInput, 'allocations'> & {
  allocations: { invoiceId: string; amount: string }[];
};

/**
 * Checks allocations against the invoices, locked in id order: each must be a live invoice of this
 * business on the payment's side (money in pays sales, money out pays purchases), and no allocation
 * may exceed what is still due on it.
 */
async function checkAllocations(tx: Tx, ctx: BusinessContext, input: PaymentFields) {
  const ids = input.allocations.map((a) => a.invoiceId);
  if (new Set(ids).size !== ids.length) throw badRequest('an invoice appears twice in the allocations');
  const allocated = sumMoney(input.allocations.map((a) => a.amount));
  if (allocated.greaterThan(input.amount)) {
    throw badRequest(
      `allocations total ${toMoney(allocated)} exceeds the payment amount ${toMoney(input.amount)}`,
    );
  }
  if (!ids.length) return;
  const rows = await tx
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, ctx.tenantId),
        eq(invoices.businessId, ctx.businessId),
        inArray(invoices.id, [...ids].sort()),
      ),
    )
    .orderBy(asc(invoices.id))
    .for('update');
  const byId = new Map(rows.map((r) => [r.id, r]));
  const side = input.direction === 'in' ? 'sale' : 'purchase';
  for (const allocation of input.allocations) {
    const invoice = byId.get(allocation.invoiceId);
    if (!invoice || invoice.deletedAt) throw notFound('invoice', allocation.invoiceId);
    if (!isPayable(invoice.docType))
      throw badRequest(`${invoice.number} is a ${invoice.docType}: only invoices take payments`);
    if (invoice.direction !== side)
      throw badRequest(
        `${invoice.number} is a ${invoice.direction} invoice: a payment ${input.direction} pays ${side} invoices`,
      );
    if (invoice.status === 'draft' || invoice.status === 'cancelled')
      throw badRequest(`${invoice.number} is ${invoice.status} and cannot take payments`);
    if (input.partyId && invoice.partyId && invoice.partyId !== input.partyId)
      throw badRequest(`${invoice.number} belongs to another party`);
    const due = dec(invoice.total).minus(invoice.amountPaid);
    if (dec(allocation.amount).greaterThan(due)) {
      throw new DomainError(
        'BAD_REQUEST',
        `allocation ${toMoney(allocation.amount)} to ${invoice.number} exceeds its balance ${toMoney(due)}`,
      );
    }
  }
}

async function applyPayment(tx: Tx, ctx: BusinessContext, paymentId: string, input: PaymentFields) {
  if (input.allocations.length) {
    await tx.insert(paymentAllocations).values(
      input.allocations.map((a) => ({
        tenantId: ctx.tenantId,
        paymentId,
        invoiceId: a.invoiceId,
        amount: toMoney(a.amount),
      })),
    );
    await refreshPaidAmounts(
      tx,
      ctx.tenantId,
      input.allocations.map((a) => a.invoiceId),
    );
  }
  if (input.bankAccountId) {
    await tx.insert(bankTransactions).values({
      tenantId: ctx.tenantId,
      bankAccountId: input.bankAccountId,
      type: input.direction === 'in' ? 'deposit' : 'withdrawal',
      amount: toMoney(input.amount),
      transactionDate: input.paymentDate,
      description: `Payment ${input.direction === 'in' ? 'received' : 'made'}`,
      paymentId,
    });
  }
}

/** Undoes a payment's effects: its allocations (invoices get their balance back) and bank transaction. */
async function reversePayment(tx: Tx, ctx: BusinessContext, paymentId: string) {
  const old = await tx
    .delete(paymentAllocations)
    .where(and(eq(paymentAllocations.tenantId, ctx.tenantId), eq(paymentAllocations.paymentId, paymentId)))
    .returning({ invoiceId: paymentAllocations.invoiceId });
  await refreshPaidAmounts(
    tx,
    ctx.tenantId,
    old.map((a) => a.invoiceId),
  );
  await tx
    .delete(bankTransactions)
    .where(and(eq(bankTransactions.tenantId, ctx.tenantId), eq(bankTransactions.paymentId, paymentId)));
}

async function checkRefs(tx: Tx, ctx: BusinessContext, input: PaymentFields) {
  if (input.partyId) await requireParty(tx, ctx, input.partyId);
  if (input.bankAccountId) await requireAccount(tx, ctx, input.bankAccountId);
}

function normalize(input: PaymentInput): PaymentFields {
  return {
    ...input,
    amount: toMoney(input.amount),
    allocations: input.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: toMoney(a.amount) })),
  };
}

export async function createPayment(executor: Executor, ctx: BusinessContext, raw: PaymentInput) {
  const input = normalize(raw);
  return inTransaction(executor, async (tx) => {
    await checkRefs(tx, ctx, input);
    await checkAllocations(tx, ctx, input);
    const number = await takeNumber(tx, ctx, input.direction === 'in' ? 'payment_in' : 'payment_out');
    const [payment] = await tx
      .insert(payments)
      .values({
        tenantId: ctx.tenantId,
        businessId: ctx.businessId,
        partyId: input.partyId ?? null,
        direction: input.direction,
        number,
        mode: input.mode,
        amount: input.amount,
        paymentDate: input.paymentDate,
        bankAccountId: input.bankAccountId ?? null,
        reference: input.reference ?? null,
        notes: input.notes ?? null,
      })
      .returning();
    await applyPayment(tx, ctx, payment!.id, input);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'create',
      entityType: 'payment',
      entityId: payment!.id,
      details: { number, amount: input.amount, allocations: input.allocations },
    });
    return { ...payment!, allocations: input.allocations };
  });
}

/** Replaces a payment's amount, account and allocations; its number and direction stay. */
export async function updatePayment(
  executor: Executor,
  ctx: BusinessContext,
  paymentId: string,
  raw: Omit<PaymentInput, 'direction'>,
) {
  return inTransaction(executor, async (tx) => {
    const current = await lockBusinessRow(tx, payments, ctx, paymentId, 'payment');
    const input = normalize({ ...raw, direction: current.direction });
    await checkRefs(tx, ctx, input);
    await reversePayment(tx, ctx, paymentId);
    await checkAllocations(tx, ctx, input);
    const [payment] = await tx
      .update(payments)
      .set({
        partyId: input.partyId ?? null,
        mode: input.mode,
        amount: input.amount,
        paymentDate: input.paymentDate,
        bankAccountId: input.bankAccountId ?? null,
        reference: input.reference ?? null,
        notes: input.notes ?? null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.id, paymentId)))
      .returning();
    await applyPayment(tx, ctx, paymentId, input);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update',
      entityType: 'payment',
      entityId: paymentId,
      details: {
        number: current.number,
        amountBefore: current.amount,
        amount: input.amount,
        allocations: input.allocations,
      },
    });
    return { ...payment!, allocations: input.allocations };
  });
}

/** Deletes a payment and everything it caused: allocations, invoice paid amounts, bank transaction. */
export async function deletePayment(executor: Executor, ctx: BusinessContext, paymentId: string) {
  return inTransaction(executor, async (tx) => {
    const current = await lockBusinessRow(tx, payments, ctx, paymentId, 'payment');
    await reversePayment(tx, ctx, paymentId);
    await tx.delete(payments).where(and(eq(payments.tenantId, ctx.tenantId), eq(payments.id, paymentId)));
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'delete',
      entityType: 'payment',
      entityId: paymentId,
      details: { number: current.number, amount: current.amount },
    });
    return { id: paymentId };
  });
}

export async function getPayment(executor: Executor, ctx: BusinessContext, paymentId: string) {
  const payment = await findBusinessRow(executor, payments, ctx, paymentId, 'payment');
  const allocations = await executor
    .select({
      invoiceId: paymentAllocations.invoiceId,
      amount: paymentAllocations.amount,
      number: invoices.number,
    })
    .from(paymentAllocations)
    .innerJoin(
      invoices,
      and(eq(invoices.tenantId, paymentAllocations.tenantId), eq(invoices.id, paymentAllocations.invoiceId)),
    )
    .where(and(eq(paymentAllocations.tenantId, ctx.tenantId), eq(paymentAllocations.paymentId, paymentId)))
    .orderBy(asc(invoices.number));
  return { ...payment, allocations };
}

export async function listPayments(
  executor: Executor,
  ctx: BusinessContext,
  input: { direction?: 'in' | 'out'; partyId?: string; limit: number; offset: number },
) {
  const conditions = [eq(payments.tenantId, ctx.tenantId), eq(payments.businessId, ctx.businessId)];
  if (input.direction) conditions.push(eq(payments.direction, input.direction));
  if (input.partyId) conditions.push(eq(payments.partyId, input.partyId));
  return executor
    .select()
    .from(payments)
    .where(and(...conditions))
    .orderBy(desc(payments.paymentDate), desc(payments.number))
    .limit(input.limit)
    .offset(input.offset);
}

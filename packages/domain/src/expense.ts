import { bankTransactions, expenseCategories, expenses } from '@hisaabo/db';
import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import { writeAudit } from './audit.ts';
import { lockBusinessRow } from './business-row.ts';
import { defaultAccountId, requireAccount } from './bank-account.ts';
import { type BusinessContext, type Executor, inTransaction, type Tx } from './context.ts';
import { DomainError, notFound } from './errors.ts';
import { toMoney } from './money.ts';
import { requireParty } from './party.ts';
import type { ExpenseInput } from './schemas.ts';

const categoryScope = (ctx: BusinessContext) =>
  and(eq(expenseCategories.tenantId, ctx.tenantId), eq(expenseCategories.businessId, ctx.businessId));
const expenseScope = (ctx: BusinessContext) =>
  and(eq(expenses.tenantId, ctx.tenantId), eq(expenses.businessId, ctx.businessId));

/** A category may keep its own name on rename (`selfId`), but not take another's. */
async function refuseTakenName(tx: Tx, ctx: BusinessContext, name: string, selfId?: string) {
  const [clash] = await tx
    .select({ id: expenseCategories.id })
    .from(expenseCategories)
    .where(and(categoryScope(ctx), eq(expenseCategories.name, name)));
  if (clash && clash.id !== selfId)
    throw new DomainError('CONFLICT', `expense category "${name}" already exists`);
}

export async function createExpenseCategory(
  executor: Executor,
  ctx: BusinessContext,
  input: { name: string },
) {
  return inTransaction(executor, async (tx) => {
    await refuseTakenName(tx, ctx, input.name);
    const [row] = await tx
      .insert(expenseCategories)
      .values({ tenantId: ctx.tenantId, businessId: ctx.businessId, name: input.name })
      .returning();
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'create',
      entityType: 'expense_category',
      entityId: row!.id,
      details: { name: input.name },
    });
    return row!;
  });
}

export function listExpenseCategories(executor: Executor, ctx: BusinessContext) {
  return executor
    .select()
    .from(expenseCategories)
    .where(categoryScope(ctx))
    .orderBy(asc(expenseCategories.name));
}

export async function updateExpenseCategory(
  executor: Executor,
  ctx: BusinessContext,
  categoryId: string,
  input: { name: string },
) {
  return inTransaction(executor, async (tx) => {
    await refuseTakenName(tx, ctx, input.name, categoryId);
    const [row] = await tx
      .update(expenseCategories)
      .set({ name: input.name, updatedAt: sql`now()` })
      .where(and(categoryScope(ctx), eq(expenseCategories.id, categoryId)))
      .returning();
    if (!row) throw notFound('expense category', categoryId);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update',
      entityType: 'expense_category',
      entityId: categoryId,
      details: { name: input.name },
    });
    return row;
  });
}

/** Refused while expenses are filed under it, so no expense silently loses its category. */
export async function deleteExpenseCategory(executor: Executor, ctx: BusinessContext, categoryId: string) {
  return inTransaction(executor, async (tx) => {
    const [used] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(expenses)
      .where(and(eq(expenses.tenantId, ctx.tenantId), eq(expenses.categoryId, categoryId)));
    if (Number(used?.n ?? 0) > 0)
      throw new DomainError('PRECONDITION_FAILED', `expense category is used by ${used?.n} expense(s)`);
    const [row] = await tx
      .delete(expenseCategories)
      .where(and(categoryScope(ctx), eq(expenseCategories.id, categoryId)))
      .returning({ id: expenseCategories.id });
    if (!row) throw notFound('expense category', categoryId);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'delete',
      entityType: 'expense_category',
      entityId: categoryId,
    });
    return row;
  });
}

async function resolveRefs(tx: Tx, ctx: BusinessContext, input: ExpenseInput) {
  if (input.categoryId) {
    const [cat] = await tx
      .select({ id: expenseCategories.id })
      .from(expenseCategories)
      .where(and(categoryScope(ctx), eq(expenseCategories.id, input.categoryId)));
    if (!cat) throw notFound('expense category', input.categoryId);
  }
  if (input.partyId) await requireParty(tx, ctx, input.partyId);
  // A paid expense always leaves an account: the one named, else the business's default (Cash).
  const accountId = input.paid
    ? (input.bankAccountId ?? (await defaultAccountId(tx, ctx)))
    : (input.bankAccountId ?? null);
  if (accountId) await requireAccount(tx, ctx, accountId);
  return accountId;
}

async function writeWithdrawal(
  tx: Tx,
  ctx: BusinessContext,
  expenseId: string,
  input: ExpenseInput,
  accountId: string | null,
) {
  if (!input.paid || !accountId) return;
  await tx.insert(bankTransactions).values({
    tenantId: ctx.tenantId,
    bankAccountId: accountId,
    type: 'withdrawal',
    amount: toMoney(input.amount),
    transactionDate: input.expenseDate,
    description: 'Expense',
    expenseId,
  });
}

export async function createExpense(executor: Executor, ctx: BusinessContext, input: ExpenseInput) {
  return inTransaction(executor, async (tx) => {
    const accountId = await resolveRefs(tx, ctx, input);
    const [row] = await tx
      .insert(expenses)
      .values({
        ...input,
        amount: toMoney(input.amount),
        taxAmount: toMoney(input.taxAmount ?? 0),
        bankAccountId: accountId,
        tenantId: ctx.tenantId,
        businessId: ctx.businessId,
      })
      .returning();
    await writeWithdrawal(tx, ctx, row!.id, input, accountId);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'create',
      entityType: 'expense',
      entityId: row!.id,
      details: { amount: row!.amount, paid: row!.paid },
    });
    return row!;
  });
}

export async function updateExpense(
  executor: Executor,
  ctx: BusinessContext,
  expenseId: string,
  input: ExpenseInput,
) {
  return inTransaction(executor, async (tx) => {
    const current = await lockBusinessRow(tx, expenses, ctx, expenseId, 'expense');
    const accountId = await resolveRefs(tx, ctx, input);
    await tx
      .delete(bankTransactions)
      .where(and(eq(bankTransactions.tenantId, ctx.tenantId), eq(bankTransactions.expenseId, expenseId)));
    const [row] = await tx
      .update(expenses)
      .set({
        ...input,
        amount: toMoney(input.amount),
        taxAmount: toMoney(input.taxAmount ?? 0),
        bankAccountId: accountId,
        updatedAt: sql`now()`,
      })
      .where(and(expenseScope(ctx), eq(expenses.id, expenseId)))
      .returning();
    await writeWithdrawal(tx, ctx, expenseId, input, accountId);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update',
      entityType: 'expense',
      entityId: expenseId,
      details: { amountBefore: current.amount, amount: row!.amount },
    });
    return row!;
  });
}

export async function deleteExpense(executor: Executor, ctx: BusinessContext, expenseId: string) {
  return inTransaction(executor, async (tx) => {
    const current = await lockBusinessRow(tx, expenses, ctx, expenseId, 'expense');
    await tx
      .delete(bankTransactions)
      .where(and(eq(bankTransactions.tenantId, ctx.tenantId), eq(bankTransactions.expenseId, expenseId)));
    await tx.delete(expenses).where(and(expenseScope(ctx), eq(expenses.id, expenseId)));
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'delete',
      entityType: 'expense',
      entityId: expenseId,
      details: { amount: current.amount },
    });
    return { id: expenseId };
  });
}

export function listExpenses(
  executor: Executor,
  ctx: BusinessContext,
  input: { categoryId?: string; from?: string; to?: string; limit: number; offset: number },
) {
  const conditions = [expenseScope(ctx)];
  if (input.categoryId) conditions.push(eq(expenses.categoryId, input.categoryId));
  if (input.from) conditions.push(gte(expenses.expenseDate, input.from));
  if (input.to) conditions.push(lte(expenses.expenseDate, input.to));
  return executor
    .select()
    .from(expenses)
    .where(and(...conditions))
    .orderBy(desc(expenses.expenseDate), asc(expenses.id))
    .limit(input.limit)
    .offset(input.offset);
}

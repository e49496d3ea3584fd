import { bankAccounts, bankTransactions, newId, queryRows } from '@hisaabo/db';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { writeAudit } from './audit.ts';
import { type BusinessContext, type Executor, inTransaction } from './context.ts';
import { badRequest, notFound } from './errors.ts';
import { toMoney } from './money.ts';
import type { BankAccountInput, TransferInput } from './schemas.ts';

const scope = (ctx: BusinessContext) =>
  and(eq(bankAccounts.tenantId, ctx.tenantId), eq(bankAccounts.businessId, ctx.businessId));

/** Balance = opening balance + deposits and incoming transfers − withdrawals and outgoing transfers. */
export const accountBalanceSql = sql.raw(`(a.opening_balance + COALESCE((
  SELECT sum(CASE WHEN t.type IN ('deposit','transfer_in') THEN t.amount ELSE -t.amount END)
  FROM bank_transactions t WHERE t.tenant_id = a.tenant_id AND t.bank_account_id = a.id), 0))::numeric(15,2)::text`);

export async function requireAccount(executor: Executor, ctx: BusinessContext, accountId: string) {
  const [row] = await executor
    .select()
    .from(bankAccounts)
    .where(and(scope(ctx), eq(bankAccounts.id, accountId)));
  if (!row) throw notFound('bank account', accountId);
  if (row.archivedAt) throw badRequest(`bank account ${row.name} is archived`);
  return row;
}

export async function createBankAccount(executor: Executor, ctx: BusinessContext, input: BankAccountInput) {
  return inTransaction(executor, async (tx) => {
    if (input.isDefault) await tx.update(bankAccounts).set({ isDefault: false }).where(scope(ctx));
    const [row] = await tx
      .insert(bankAccounts)
      .values({ ...input, tenantId: ctx.tenantId, businessId: ctx.businessId })
      .returning();
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'create',
      entityType: 'bank_account',
      entityId: row!.id,
      details: { name: row!.name, type: row!.type },
    });
    return row!;
  });
}

export async function updateBankAccount(
  executor: Executor,
  ctx: BusinessContext,
  accountId: string,
  input: Partial<BankAccountInput>,
) {
  return inTransaction(executor, async (tx) => {
    if (input.isDefault) await tx.update(bankAccounts).set({ isDefault: false }).where(scope(ctx));
    const [row] = await tx
      .update(bankAccounts)
      .set({ ...input, updatedAt: sql`now()` })
      .where(and(scope(ctx), eq(bankAccounts.id, accountId)))
      .returning();
    if (!row) throw notFound('bank account', accountId);
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'update',
      entityType: 'bank_account',
      entityId: accountId,
      details: { fields: Object.keys(input) },
    });
    return row;
  });
}

export async function listBankAccounts(executor: Executor, ctx: BusinessContext) {
  return queryRows<{
    id: string;
    type: string;
    name: string;
    bank_name: string | null;
    is_default: boolean;
    opening_balance: string;
    balance: string;
    archived_at: string | null;
  }>(
    executor,
    sql`SELECT a.id, a.type, a.name, a.bank_name, a.is_default, a.opening_balance::text, a.archived_at, ${accountBalanceSql} AS balance
        FROM bank_accounts a WHERE a.tenant_id = ${ctx.tenantId} AND a.business_id = ${ctx.businessId}
        ORDER BY a.is_default DESC, a.name, a.id`,
  ).then((rows) =>
    rows.map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name,
      bankName: r.bank_name,
      isDefault: r.is_default,
      openingBalance: toMoney(r.opening_balance),
      balance: toMoney(r.balance),
      archivedAt: r.archived_at,
    })),
  );
}

export async function getBankAccount(executor: Executor, ctx: BusinessContext, accountId: string) {
  const [row] = await executor
    .select()
    .from(bankAccounts)
    .where(and(scope(ctx), eq(bankAccounts.id, accountId)));
  if (!row) throw notFound('bank account', accountId);
  const [balance] = await queryRows<{ balance: string }>(
    executor,
    sql`SELECT ${accountBalanceSql} AS balance FROM bank_accounts a WHERE a.tenant_id = ${ctx.tenantId} AND a.id = ${accountId}`,
  );
  return { ...row, balance: toMoney(balance!.balance) };
}

export async function listBankTransactions(
  executor: Executor,
  ctx: BusinessContext,
  input: { accountId: string; limit: number; offset: number },
) {
  await getBankAccount(executor, ctx, input.accountId);
  return executor
    .select()
    .from(bankTransactions)
    .where(
      and(eq(bankTransactions.tenantId, ctx.tenantId), eq(bankTransactions.bankAccountId, input.accountId)),
    )
    .orderBy(desc(bankTransactions.transactionDate), asc(bankTransactions.id))
    .limit(input.limit)
    .offset(input.offset);
}

/** A transfer is two rows pointing at each other: money out of one account, into the other. */
export async function transferBetweenAccounts(
  executor: Executor,
  ctx: BusinessContext,
  input: TransferInput,
) {
  return inTransaction(executor, async (tx) => {
    if (input.fromAccountId === input.toAccountId)
      throw badRequest('a transfer needs two different accounts');
    const from = await requireAccount(tx, ctx, input.fromAccountId);
    const to = await requireAccount(tx, ctx, input.toAccountId);
    const outId = newId();
    const inId = newId();
    const description = input.description ?? `Transfer ${from.name} → ${to.name}`;
    // The pair references each other, so the first row is written without its partner and linked after.
    await tx.insert(bankTransactions).values([
      {
        tenantId: ctx.tenantId,
        id: outId,
        bankAccountId: from.id,
        type: 'transfer_out',
        amount: input.amount,
        transactionDate: input.transferDate,
        description,
      },
      {
        tenantId: ctx.tenantId,
        id: inId,
        bankAccountId: to.id,
        type: 'transfer_in',
        amount: input.amount,
        transactionDate: input.transferDate,
        description,
        transferPairId: outId,
      },
    ]);
    await tx
      .update(bankTransactions)
      .set({ transferPairId: inId })
      .where(and(eq(bankTransactions.tenantId, ctx.tenantId), eq(bankTransactions.id, outId)));
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'transfer',
      entityType: 'bank_transaction',
      entityId: outId,
      details: { from: from.id, to: to.id, amount: toMoney(input.amount) },
    });
    return { outId, inId };
  });
}

/** The business's default account (created with the business as "Cash"). */
export async function defaultAccountId(executor: Executor, ctx: BusinessContext): Promise<string | null> {
  const [row] = await executor
    .select({ id: bankAccounts.id })
    .from(bankAccounts)
    .where(and(scope(ctx), eq(bankAccounts.isDefault, true)))
    .limit(1);
  return row?.id ?? null;
}

import { bankTransactions, expenses } from '@hisaabo/db';
import { dec, toMoney } from '../../money.ts';
import { type BusinessScope, type SeedContext, audit, stamp } from './context.ts';
import type { Accounts, Party } from './types.ts';

/** An expense on `date`, most of them paid (from cash or a bank, with the matching withdrawal). */
export function generateExpense(
  ctx: SeedContext,
  scope: BusinessScope,
  date: string,
  accounts: Accounts,
  categoryIds: readonly string[],
  suppliers: readonly Party[],
): void {
  const { rng, tenantId } = ctx;
  const { cashId, bankIds } = accounts;
  const expenseId = ctx.newId();
  const paid = rng.chance(0.9);
  const amount = toMoney(dec(rng.int(10000, 2000000)).dividedBy(100));
  const accountId = paid ? (rng.chance(0.5) ? cashId : rng.pick(bankIds)) : null;
  const at = stamp(ctx, date);
  ctx.rows.push(expenses, {
    tenantId,
    id: expenseId,
    businessId: scope.businessId,
    categoryId: rng.pick(categoryIds),
    partyId: rng.chance(0.3) ? rng.pick(suppliers).id : null,
    expenseDate: date,
    amount,
    taxAmount: toMoney(dec(amount).times(18).dividedBy(118).toDecimalPlaces(2)),
    paid,
    mode: paid ? (accountId === cashId ? 'cash' : 'bank_transfer') : null,
    bankAccountId: accountId,
    notes: null,
    createdAt: at,
    updatedAt: at,
  });
  if (accountId) {
    ctx.rows.push(bankTransactions, {
      tenantId,
      id: ctx.newId(),
      bankAccountId: accountId,
      type: 'withdrawal',
      amount,
      transactionDate: date,
      description: 'Expense',
      paymentId: null,
      expenseId,
      transferPairId: null,
      createdAt: at,
    });
  }
  audit(ctx, scope.businessId, 'expense', expenseId, at, { amount, paid });
}

/** Cash deposited in a bank on `date`: a transfer pair, each side pointing at the other. */
export function generateTransfer(
  ctx: SeedContext,
  scope: BusinessScope,
  date: string,
  accounts: Accounts,
): void {
  const { rng, tenantId } = ctx;
  const outId = ctx.newId();
  const inId = ctx.newId();
  const to = rng.pick(accounts.bankIds);
  const amount = toMoney(rng.int(5, 100) * 1000);
  const at = stamp(ctx, date);
  ctx.rows.push(bankTransactions, {
    tenantId,
    id: outId,
    bankAccountId: accounts.cashId,
    type: 'transfer_out',
    amount,
    transactionDate: date,
    description: 'Cash deposited in bank',
    paymentId: null,
    expenseId: null,
    transferPairId: inId,
    createdAt: at,
  });
  ctx.rows.push(bankTransactions, {
    tenantId,
    id: inId,
    bankAccountId: to,
    type: 'transfer_in',
    amount,
    transactionDate: date,
    description: 'Cash deposited in bank',
    paymentId: null,
    expenseId: null,
    transferPairId: outId,
    createdAt: at,
  });
  audit(ctx, scope.businessId, 'bank_transaction', outId, at, { amount }, 'transfer');
}

import { bankAccounts, expenseCategories } from '@hisaabo/db';
import { toMoney } from '../../money.ts';
import { BANKS, EXPENSE_CATEGORIES } from '../catalog.ts';
import type { BusinessScope, SeedContext } from './context.ts';
import type { Accounts } from './types.ts';

/** The default Cash account and the catalog's bank accounts, all opened on the first day. */
export function generateAccounts(ctx: SeedContext, scope: BusinessScope): Accounts {
  const { rng, tenantId, startDate } = ctx;
  const { businessId, created } = scope;
  const cashId = ctx.newId();
  const bankIds: string[] = [];
  ctx.rows.push(bankAccounts, {
    tenantId,
    id: cashId,
    businessId,
    type: 'cash',
    name: 'Cash',
    bankName: null,
    accountNumber: null,
    ifsc: null,
    openingBalance: toMoney(rng.int(5000, 50000)),
    openingDate: startDate,
    isDefault: true,
    createdAt: created,
    updatedAt: created,
  });
  for (const bank of BANKS) {
    const id = ctx.newId();
    bankIds.push(id);
    ctx.rows.push(bankAccounts, {
      tenantId,
      id,
      businessId,
      type: bank.type,
      name: bank.name,
      bankName: bank.bankName,
      accountNumber:
        bank.type === 'upi' ? null : String(rng.int(10000000, 99999999)) + String(rng.int(1000, 9999)),
      ifsc: bank.ifsc,
      openingBalance: toMoney(rng.int(10000, 500000)),
      openingDate: startDate,
      isDefault: false,
      createdAt: created,
      updatedAt: created,
    });
  }
  return { cashId, bankIds };
}

/** The catalog's expense categories; returns their ids. */
export function generateExpenseCategories(ctx: SeedContext, scope: BusinessScope): string[] {
  return EXPENSE_CATEGORIES.map((name) => {
    const id = ctx.newId();
    ctx.rows.push(expenseCategories, {
      tenantId: ctx.tenantId,
      id,
      businessId: scope.businessId,
      name,
      createdAt: scope.created,
      updatedAt: scope.created,
    });
    return id;
  });
}

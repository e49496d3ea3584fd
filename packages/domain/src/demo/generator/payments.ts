import { bankTransactions, paymentAllocations, payments } from '@hisaabo/db';
import { addDays } from '../../dates.ts';
import { dec, toMoney } from '../../money.ts';
import { type BusinessScope, type SeedContext, audit, stamp } from './context.ts';
import type { DocumentNumbers } from './numbering.ts';
import type { Accounts, Due, Party } from './types.ts';

/**
 * Gathers what each party paid on its documents into payments: one to three documents per payment
 * (so some payments are split over several invoices), a few with an advance on top.
 */
export class PaymentBook {
  private readonly dues = new Map<string, Due[]>();
  private readonly dueTargets = new Map<string, number>();

  constructor(
    private readonly ctx: SeedContext,
    private readonly scope: BusinessScope,
    private readonly accounts: Accounts,
    private readonly numbers: DocumentNumbers,
  ) {}

  /** Records an amount paid on a document; pays the party's dues once enough are gathered. */
  owe(partyId: string, direction: 'in' | 'out', due: Due): void {
    const { rng } = this.ctx;
    const list = this.dues.get(partyId) ?? [];
    list.push(due);
    this.dues.set(partyId, list);
    const target = this.dueTargets.get(partyId) ?? rng.int(1, 3);
    if (list.length >= target) {
      this.pay(partyId, direction, list);
      this.dues.set(partyId, []);
      this.dueTargets.set(partyId, rng.int(1, 3));
    }
  }

  /** Whatever is still owed by a party is paid in a final payment each. */
  settleAll(suppliers: readonly Party[]): void {
    for (const [partyId, list] of this.dues) {
      if (!list.length) continue;
      const isSupplier = suppliers.some((s) => s.id === partyId);
      this.pay(partyId, isSupplier ? 'out' : 'in', list);
    }
  }

  private pay(partyId: string, direction: 'in' | 'out', list: Due[]): void {
    const { ctx } = this;
    const { rng, tenantId } = ctx;
    const { cashId, bankIds } = this.accounts;
    const paymentId = ctx.newId();
    const allocated = list.reduce((acc, d) => acc.plus(d.amount), dec(0));
    const advance = rng.chance(0.05) ? dec(rng.int(1, 20) * 100) : dec(0);
    const amount = toMoney(allocated.plus(advance));
    // ISO dates sort as text: paid some days after the last invoice, never after the history ends.
    const lastDue = list.map((d) => d.date).sort()[list.length - 1]!;
    const date = [addDays(lastDue, rng.int(0, 12)), ctx.endDate].sort()[0]!;
    const r = rng.next();
    const [mode, accountId] =
      r < 0.3
        ? (['cash', cashId] as const)
        : r < 0.97
          ? ([rng.pick(['bank_transfer', 'upi', 'cheque', 'card'] as const), rng.pick(bankIds)] as const)
          : (['other', null] as const);
    const number = this.numbers.take(direction === 'in' ? 'payment_in' : 'payment_out');
    const at = stamp(ctx, date);
    ctx.rows.push(payments, {
      tenantId,
      id: paymentId,
      businessId: this.scope.businessId,
      partyId,
      direction,
      number,
      mode,
      amount,
      paymentDate: date,
      bankAccountId: accountId,
      reference: mode === 'cheque' ? `CHQ${rng.int(100000, 999999)}` : null,
      createdAt: at,
      updatedAt: at,
    });
    for (const d of list) {
      ctx.rows.push(paymentAllocations, {
        tenantId,
        id: ctx.newId(),
        paymentId,
        invoiceId: d.invoiceId,
        amount: d.amount,
        createdAt: at,
      });
    }
    if (accountId) {
      ctx.rows.push(bankTransactions, {
        tenantId,
        id: ctx.newId(),
        bankAccountId: accountId,
        type: direction === 'in' ? 'deposit' : 'withdrawal',
        amount,
        transactionDate: date,
        description: `Payment ${direction === 'in' ? 'received' : 'made'}`,
        paymentId,
        expenseId: null,
        transferPairId: null,
        createdAt: at,
      });
    }
    audit(ctx, this.scope.businessId, 'payment', paymentId, at, { number, amount, allocations: list.length });
  }
}

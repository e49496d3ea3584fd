import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelInvoice,
  checkConsistency,
  createBankAccount,
  createBusiness,
  createInvoice,
  createItem,
  createParty,
  createPayment,
  deleteParty,
  deletePayment,
  DomainError,
  getBankAccount,
  getInvoice,
  getParty,
  paymentInput,
  updateBusinessSequence,
  updateInvoice,
  updatePayment,
} from '../src/index.ts';
import { newBusiness, rejection, sale } from './support/books.ts';

// The books' rules straight on the database: numbering under concurrency, totals computed on the
// server, payments and their allocations, and one business kept apart from another.

for (const backend of testBackends()) {
  describe(`books rules on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    it('numbers 50 concurrent creates with 50 distinct consecutive numbers', async () => {
      const ctx = await newBusiness(database);
      const party = await createParty(database.db, ctx, { type: 'customer', name: 'Ravi' });
      const created = await Promise.all(
        Array.from({ length: 50 }, () =>
          createInvoice(
            database.db,
            ctx,
            sale(party.id, [{ description: 'Tea', quantity: '1', unitPrice: '10' }]),
          ),
        ),
      );
      const numbers = created.map((i) => i.number).sort();
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => `INV-${String(i + 1).padStart(5, '0')}`));
      // Other series are independent, and a counter moves forward only.
      const quote = await createInvoice(database.db, ctx, {
        ...sale(party.id, [{ description: 'Tea', quantity: '1', unitPrice: '10' }]),
        docType: 'quotation',
      });
      expect(quote.number).toBe('QTN-00001');
      const refused = await rejection(
        updateBusinessSequence(database.db, ctx, { kind: 'invoice', nextNumber: 10 }),
      );
      expect((refused as DomainError).message).toMatch(/only move forward: it is 51, asked 10/);
      await updateBusinessSequence(database.db, ctx, { kind: 'invoice', nextNumber: 100 });
      const next = await createInvoice(
        database.db,
        ctx,
        sale(party.id, [{ description: 'Tea', quantity: '1', unitPrice: '10' }]),
      );
      expect(next.number).toBe('INV-00100');
      expect(await checkConsistency(database.db, ctx.tenantId)).toEqual([]);
    });

    it('computes totals on the server: tax-inclusive prices, discounts and round-off to the paisa', async () => {
      const ctx = await newBusiness(database);
      const item = await createItem(database.db, ctx, {
        type: 'product',
        name: 'T-shirt',
        salePrice: '399.00',
        taxRate: '5',
        taxInclusive: true,
        trackStock: false,
      });
      const invoice = await createInvoice(
        database.db,
        ctx,
        sale(
          (await createParty(database.db, ctx, { type: 'customer', name: 'Meera' })).id,
          [
            // tax rate and inclusiveness come from the item when the line does not say
            {
              itemId: item.id,
              description: 'T-shirt',
              quantity: '2',
              unitPrice: '399',
              discountPercent: '10',
            },
            { description: 'Stitching', quantity: '3', unitPrice: '99.99', taxRate: '18' },
          ],
          { discount: { type: 'percent', value: '2' }, roundToRupee: true },
        ),
      );
      expect(
        invoice.lines.map((l) => [l.taxableAmount, l.taxAmount, l.total, l.taxRate, l.taxInclusive]),
      ).toEqual([
        ['684.00', '34.20', '718.20', '5.00', true],
        ['299.97', '53.99', '353.96', '18.00', false],
      ]);
      // 1072.16 − 2% (21.44) = 1050.72 → 1051.00 (+0.28)
      expect([
        invoice.subtotal,
        invoice.taxAmount,
        invoice.discountAmount,
        invoice.roundOff,
        invoice.total,
      ]).toEqual(['983.97', '88.19', '21.44', '0.28', '1051.00']);
      const bad = await rejection(
        createInvoice(
          database.db,
          ctx,
          sale(invoice.partyId!, [{ description: 'x', quantity: '1', unitPrice: '10' }], {
            discount: { type: 'amount', value: '11' },
          }),
        ),
      );
      expect(bad).toBeInstanceOf(DomainError);
      expect((bad as DomainError).message).toMatch(/discount 11.00 exceeds the invoice amount 10.00/);
    });

    it('allocates payments to several invoices, moves status, refuses over-allocation, and reverses on delete', async () => {
      const ctx = await newBusiness(database);
      const party = await createParty(database.db, ctx, {
        type: 'customer',
        name: 'Kabir',
        openingBalance: '500.00',
      });
      const bank = await createBankAccount(database.db, ctx, {
        type: 'current',
        name: 'HDFC',
        openingBalance: '1000.00',
      });
      const a = await createInvoice(
        database.db,
        ctx,
        sale(party.id, [{ description: 'A', quantity: '1', unitPrice: '1000' }]),
      );
      const b = await createInvoice(
        database.db,
        ctx,
        sale(party.id, [
          { description: 'B', quantity: '1', unitPrice: '236', taxRate: '18', taxInclusive: true },
        ]),
      );
      expect([a.status, b.status, b.total]).toEqual(['unpaid', 'unpaid', '236.00']);
      expect((await getParty(database.db, ctx, party.id)).balance).toBe('1736.00');

      const payment = await createPayment(
        database.db,
        ctx,
        paymentInput.parse({
          direction: 'in',
          partyId: party.id,
          mode: 'bank_transfer',
          amount: '636.00',
          paymentDate: '2026-04-12',
          bankAccountId: bank.id,
          allocations: [
            { invoiceId: a.id, amount: '400' },
            { invoiceId: b.id, amount: '236' },
          ],
        }),
      );
      expect(payment.number).toBe('PAY-00001');
      let [ia, ib] = await Promise.all([
        getInvoice(database.db, ctx, a.id),
        getInvoice(database.db, ctx, b.id),
      ]);
      expect([ia.amountPaid, ia.status, ia.balance, ib.amountPaid, ib.status]).toEqual([
        '400.00',
        'partial',
        '600.00',
        '236.00',
        'paid',
      ]);
      expect((await getBankAccount(database.db, ctx, bank.id)).balance).toBe('1636.00');
      expect((await getParty(database.db, ctx, party.id)).balance).toBe('1100.00');

      // More than the balance of A (600) is refused, and nothing changes.
      const over = await rejection(
        createPayment(
          database.db,
          ctx,
          paymentInput.parse({
            direction: 'in',
            partyId: party.id,
            mode: 'cash',
            amount: '700',
            paymentDate: '2026-04-13',
            allocations: [{ invoiceId: a.id, amount: '600.01' }],
          }),
        ),
      );
      expect((over as DomainError).message).toBe('allocation 600.01 to INV-00001 exceeds its balance 600.00');
      expect((await getInvoice(database.db, ctx, a.id)).amountPaid).toBe('400.00');
      // Allocations beyond the payment itself, and to the wrong side, are refused too.
      expect(
        (
          (await rejection(
            createPayment(
              database.db,
              ctx,
              paymentInput.parse({
                direction: 'in',
                mode: 'cash',
                amount: '10',
                paymentDate: '2026-04-13',
                allocations: [{ invoiceId: a.id, amount: '11' }],
              }),
            ),
          )) as Error
        ).message,
      ).toMatch(/exceeds the payment amount/);
      expect(
        (
          (await rejection(
            createPayment(
              database.db,
              ctx,
              paymentInput.parse({
                direction: 'out',
                mode: 'cash',
                amount: '10',
                paymentDate: '2026-04-13',
                allocations: [{ invoiceId: a.id, amount: '10' }],
              }),
            ),
          )) as Error
        ).message,
      ).toMatch(/payment out pays purchase invoices/);
      // A paid invoice cannot be cancelled, nor edited below what is paid.
      expect(((await rejection(cancelInvoice(database.db, ctx, b.id))) as Error).message).toMatch(
        /delete or change those payments first/,
      );
      expect(
        (
          (await rejection(
            updateInvoice(database.db, ctx, b.id, {
              ...sale(party.id, [{ description: 'B', quantity: '1', unitPrice: '100' }]),
            }),
          )) as Error
        ).message,
      ).toMatch(/below the 236.00 already paid/);

      // Editing the payment re-applies it: A fully paid, B back to unpaid.
      await updatePayment(
        database.db,
        ctx,
        payment.id,
        paymentInput.omit({ direction: true }).parse({
          partyId: party.id,
          mode: 'upi',
          amount: '1000',
          paymentDate: '2026-04-12',
          bankAccountId: bank.id,
          allocations: [{ invoiceId: a.id, amount: '1000' }],
        }),
      );
      [ia, ib] = await Promise.all([getInvoice(database.db, ctx, a.id), getInvoice(database.db, ctx, b.id)]);
      expect([ia.amountPaid, ia.status, ib.amountPaid, ib.status]).toEqual([
        '1000.00',
        'paid',
        '0.00',
        'unpaid',
      ]);
      expect((await getBankAccount(database.db, ctx, bank.id)).balance).toBe('2000.00');
      expect(await checkConsistency(database.db, ctx.tenantId)).toEqual([]);

      await deletePayment(database.db, ctx, payment.id);
      [ia, ib] = await Promise.all([getInvoice(database.db, ctx, a.id), getInvoice(database.db, ctx, b.id)]);
      expect([ia.amountPaid, ia.status, ib.status]).toEqual(['0.00', 'unpaid', 'unpaid']);
      expect((await getBankAccount(database.db, ctx, bank.id)).balance).toBe('1000.00');
      expect((await getParty(database.db, ctx, party.id)).balance).toBe('1736.00');
      expect(((await rejection(deleteParty(database.db, ctx, party.id))) as Error).message).toMatch(
        /still used by 2 document/,
      );
      expect(await checkConsistency(database.db, ctx.tenantId)).toEqual([]);
    });

    it('keeps each business to itself within one organization', async () => {
      const ctx = await newBusiness(database);
      const second = await createBusiness(database.db, { tenantId: ctx.tenantId }, { name: 'Second' });
      const ctx2 = { ...ctx, businessId: second.id };
      const party = await createParty(database.db, ctx, { type: 'customer', name: 'Only in A' });
      const item = await createItem(database.db, ctx, { type: 'service', name: 'Only in A' });
      expect(((await rejection(getParty(database.db, ctx2, party.id))) as DomainError).code).toBe(
        'NOT_FOUND',
      );
      const crossing = await rejection(
        createInvoice(database.db, ctx2, {
          docType: 'invoice',
          direction: 'sale',
          invoiceDate: '2026-04-01',
          lines: [{ itemId: item.id, description: 'x', quantity: '1', unitPrice: '1' }],
        }),
      );
      expect((crossing as DomainError).message).toBe(`item ${item.id} not found`);
      const crossingParty = await rejection(
        createInvoice(
          database.db,
          ctx2,
          sale(party.id, [{ description: 'x', quantity: '1', unitPrice: '1' }]),
        ),
      );
      expect((crossingParty as DomainError).message).toBe(`party ${party.id} not found`);
      // Numbering is per business.
      const inA = await createInvoice(
        database.db,
        ctx,
        sale(party.id, [{ description: 'x', quantity: '1', unitPrice: '1' }]),
      );
      const inB = await createInvoice(database.db, ctx2, {
        docType: 'invoice',
        direction: 'sale',
        invoiceDate: '2026-04-01',
        lines: [{ description: 'x', quantity: '1', unitPrice: '1' }],
      });
      expect([inA.number, inB.number]).toEqual(['INV-00001', 'INV-00001']);
    });
  });
}

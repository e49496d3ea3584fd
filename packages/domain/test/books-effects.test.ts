import { connect, type Database, invoices, items, newId, queryRows, tenants } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adjustStock,
  cancelInvoice,
  checkConsistency,
  createBankAccount,
  createBusiness,
  createExpense,
  createInvoice,
  createItem,
  createParty,
  createPayment,
  createRecurringTemplate,
  dashboardSummary,
  deleteInvoice,
  type DomainError,
  getInvoice,
  type InvoiceInput,
  lockTenant,
  paymentInput,
  runDueRecurringInvoices,
  transferBetweenAccounts,
  updateInvoice,
  updateInvoiceStatus,
} from '../src/index.ts';
import { newBusiness, rejection, sale } from './support/books.ts';

// The books' side effects straight on the database: stock moved per document, bank transactions and
// the dashboard, recurring runs under racing schedulers, and the organization lock restore takes.

for (const backend of testBackends()) {
  describe(`stock, bank and recurring rules on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    it('moves stock per document type, applies edits as differences, and reverses on cancel and delete', async () => {
      const ctx = await newBusiness(database);
      const party = await createParty(database.db, ctx, { type: 'both', name: 'Gupta Wholesale' });
      const item = await createItem(database.db, ctx, {
        type: 'product',
        name: 'Rice 5kg',
        salePrice: '675',
        purchasePrice: '500',
        variants: [{ name: 'Premium' }],
      });
      const variant = item.variants[0]!;
      await adjustStock(database.db, ctx, {
        itemId: item.id,
        variantId: variant.id,
        quantityChange: '100',
        reason: 'Opening stock',
        adjustmentDate: '2026-04-01',
      });
      const stock = async () => {
        const [row] = await database.db
          .select({ q: items.stockQuantity })
          .from(items)
          .where(and(eq(items.tenantId, ctx.tenantId), eq(items.id, item.id)));
        return row!.q;
      };
      const line = (quantity: string) => [
        { itemId: item.id, variantId: variant.id, description: 'Rice', quantity, unitPrice: '600' },
      ];
      const expected: [InvoiceInput['docType'], 'sale' | 'purchase', string][] = [
        ['invoice', 'sale', '90.000'],
        ['delivery_challan', 'sale', '80.000'],
        ['purchase_return', 'purchase', '70.000'],
        ['invoice', 'purchase', '80.000'],
        ['sales_return', 'sale', '90.000'],
        ['quotation', 'sale', '90.000'],
        ['proforma', 'sale', '90.000'],
        ['credit_note', 'sale', '90.000'],
        ['debit_note', 'purchase', '90.000'],
      ];
      const docs = [];
      for (const [docType, direction, after] of expected) {
        docs.push(
          await createInvoice(database.db, ctx, {
            docType,
            direction,
            partyId: party.id,
            invoiceDate: '2026-04-02',
            lines: line('10'),
          }),
        );
        expect(await stock(), `${direction} ${docType}`).toBe(after);
      }
      // A draft moves nothing until it is issued.
      const draft = await createInvoice(database.db, ctx, { ...sale(party.id, line('5')), status: 'draft' });
      expect(await stock()).toBe('90.000');
      await updateInvoiceStatus(database.db, ctx, draft.id, 'unpaid');
      expect(await stock()).toBe('85.000');
      // Editing a sale from 10 to 25 takes 15 more; cancelling returns all 25; deleting the challan returns 10.
      await updateInvoice(
        database.db,
        ctx,
        docs[0]!.id,
        sale(party.id, line('25'), { invoiceDate: '2026-04-02' }),
      );
      expect(await stock()).toBe('70.000');
      await cancelInvoice(database.db, ctx, docs[0]!.id);
      expect(await stock()).toBe('95.000');
      await deleteInvoice(database.db, ctx, docs[1]!.id);
      expect(await stock()).toBe('105.000');
      const returned = await getInvoice(database.db, ctx, docs[4]!.id);
      expect(returned.lines[0]!.variantId).toBe(variant.id);
      // A return can reference the sale it corrects, only within the business.
      const ret = await createInvoice(database.db, ctx, {
        docType: 'sales_return',
        direction: 'sale',
        partyId: party.id,
        invoiceDate: '2026-04-03',
        referenceInvoiceId: draft.id,
        lines: line('1'),
      });
      expect(ret.referenceInvoiceId).toBe(draft.id);
      const other = await newBusiness(database);
      const foreign = await rejection(
        createInvoice(
          database.db,
          { ...ctx },
          {
            ...sale(party.id, line('1')),
            referenceInvoiceId: (
              await createInvoice(database.db, other, {
                docType: 'invoice',
                direction: 'sale',
                invoiceDate: '2026-04-01',
                lines: [{ description: 'x', quantity: '1', unitPrice: '1' }],
              })
            ).id,
          },
        ),
      );
      expect((foreign as DomainError).code).toBe('NOT_FOUND');
      expect(await checkConsistency(database.db, ctx.tenantId)).toEqual([]);
    });

    it('writes bank transactions for expenses and transfers, and sums the dashboard from them', async () => {
      const ctx = await newBusiness(database);
      const bank = await createBankAccount(database.db, ctx, {
        type: 'savings',
        name: 'SBI',
        openingBalance: '5000',
      });
      const accounts = await queryRows<{ id: string; name: string }>(
        database.db,
        sql`SELECT id, name FROM bank_accounts WHERE tenant_id = ${ctx.tenantId}`,
      );
      const cash = accounts.find((a) => a.name === 'Cash')!;
      await createExpense(database.db, ctx, {
        expenseDate: '2026-04-05',
        amount: '1180.00',
        taxAmount: '180.00',
        paid: true,
      });
      await createExpense(database.db, ctx, { expenseDate: '2026-04-05', amount: '99.00', paid: false });
      const transfer = await transferBetweenAccounts(database.db, ctx, {
        fromAccountId: bank.id,
        toAccountId: cash.id,
        amount: '2000',
        transferDate: '2026-04-06',
      });
      const pair = await queryRows<{ id: string; transfer_pair_id: string; type: string }>(
        database.db,
        sql`SELECT id, transfer_pair_id, type FROM bank_transactions WHERE tenant_id = ${ctx.tenantId} AND transfer_pair_id IS NOT NULL ORDER BY type`,
      );
      expect(pair).toEqual([
        { id: transfer.inId, transfer_pair_id: transfer.outId, type: 'transfer_in' },
        { id: transfer.outId, transfer_pair_id: transfer.inId, type: 'transfer_out' },
      ]);
      const party = await createParty(database.db, ctx, { type: 'customer', name: 'Neha' });
      const inv = await createInvoice(
        database.db,
        ctx,
        sale(party.id, [{ description: 'x', quantity: '1', unitPrice: '300' }], {
          invoiceDate: '2026-04-07',
          dueDate: '2026-04-08',
        }),
      );
      await createPayment(
        database.db,
        ctx,
        paymentInput.parse({
          direction: 'in',
          partyId: party.id,
          mode: 'cash',
          amount: '100',
          paymentDate: '2026-04-09',
          bankAccountId: cash.id,
          allocations: [{ invoiceId: inv.id, amount: '100' }],
        }),
      );
      const summary = await dashboardSummary(database.db, ctx, '2026-04-20');
      expect(summary).toMatchObject({
        receivables: '200.00',
        payables: '0.00',
        salesThisMonth: '300.00',
        expensesThisMonth: '1279.00',
        cashBalance: '920.00', // 0 − 1180 + 2000 + 100
        bankBalance: '3000.00',
        overdueInvoices: 1,
        counts: { invoices: 1, parties: 1, items: 0 },
      });
      expect(await checkConsistency(database.db, ctx.tenantId)).toEqual([]);
    });

    it('generates each recurring run exactly once with two schedulers racing', async () => {
      const ctx = await newBusiness(database);
      const party = await createParty(database.db, ctx, { type: 'customer', name: 'Retainer client' });
      const templates = await Promise.all(
        [1, 2, 3].map((n) =>
          createRecurringTemplate(database.db, ctx, {
            partyId: party.id,
            name: `Retainer ${n}`,
            frequency: 'monthly',
            startDate: '2026-01-31',
            dueInDays: 7,
            lineItems: [{ description: 'Monthly retainer', quantity: '1', unitPrice: '1000', taxRate: '18' }],
          }),
        ),
      );
      // A second process: its own connection pool on PostgreSQL; on PGlite the one embedded database.
      const second: Database = database.url
        ? await connect({ databaseUrl: database.url, maxConnections: 4 })
        : database;
      try {
        const [one, two] = await Promise.all([
          runDueRecurringInvoices(database.db, { today: '2026-04-30' }),
          runDueRecurringInvoices(second.db, { today: '2026-04-30' }),
        ]);
        const generated = [...one, ...two].filter((o) => o.status === 'succeeded');
        // 31 Jan, 28 Feb, 31 Mar, 30 Apr for each of three templates.
        expect(generated).toHaveLength(12);
        expect(new Set(generated.map((o) => `${o.templateId}|${o.runDate}`)).size).toBe(12);
        const rows = await database.db
          .select({
            date: invoices.invoiceDate,
            template: invoices.recurringTemplateId,
            total: invoices.total,
          })
          .from(invoices)
          .where(eq(invoices.tenantId, ctx.tenantId));
        expect(rows).toHaveLength(12);
        expect(
          rows
            .filter((r) => r.template === templates[0]!.id)
            .map((r) => r.date)
            .sort(),
        ).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']);
        expect(rows.every((r) => r.total === '1180.00')).toBe(true);
        // Running again the same day finds nothing to do.
        expect(await runDueRecurringInvoices(second.db, { today: '2026-04-30' })).toEqual([]);
        const [next] = await queryRows<{ next_run_date: string }>(
          database.db,
          sql`SELECT next_run_date FROM recurring_invoice_templates WHERE tenant_id = ${ctx.tenantId} AND id = ${templates[0]!.id}`,
        );
        expect(next!.next_run_date).toBe('2026-05-31');
      } finally {
        if (second !== database) await second.close();
      }
      expect(await checkConsistency(database.db, ctx.tenantId)).toEqual([]);
    });

    it('creates a business only under the organization lock that restore takes', async () => {
      const tenantId = newId();
      await database.db.insert(tenants).values({ id: tenantId, name: 'Locked', slug: `l-${tenantId}` });
      const events: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => {
        locked = resolve;
      });
      const restoreLike = database.db.transaction(async (tx) => {
        await lockTenant(tx, tenantId);
        locked();
        await held;
        const [row] = await queryRows<{ n: number }>(
          tx,
          sql`SELECT count(*)::int AS n FROM businesses WHERE tenant_id = ${tenantId}`,
        );
        events.push(`restore saw ${row!.n} businesses`);
      });
      await lockTaken;
      const creation = createBusiness(database.db, { tenantId }, { name: 'Late' }).then(() =>
        events.push('business created'),
      );
      await new Promise((r) => setTimeout(r, 300));
      events.push('restore commits');
      release();
      await Promise.all([restoreLike, creation]);
      // The creation waited for the lock: the restore still saw an empty organization.
      expect(events).toEqual(['restore commits', 'restore saw 0 businesses', 'business created']);
      expect(((await rejection(lockTenant(database.db, newId()))) as DomainError).code).toBe('NOT_FOUND');
    });
  });
}

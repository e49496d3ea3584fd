import { newId, queryRows, tenants } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConsistency, seedDemoOrganization } from '../src/index.ts';

// Enough for every kind of document and record to appear (the seed is fixed, so the same ones do
// every run); the demo seeder's speed at scale is the bench's business.
const INVOICES = 3_000;

for (const backend of testBackends()) {
  describe(`demo organization on ${backend.kind}`, () => {
    let database: TestDatabase;
    const tenantId = newId();
    beforeAll(async () => {
      database = await backend.create();
      await database.db.insert(tenants).values({ id: tenantId, name: 'Demo', slug: `demo-${tenantId}` });
    });
    afterAll(() => database?.close());

    it(`seeds ${INVOICES} invoices and every rule holds on them`, { timeout: 120_000 }, async () => {
      const started = Date.now();
      const result = await seedDemoOrganization(database, { tenantId, invoices: INVOICES, seed: 'test' });
      const seededMs = Date.now() - started;
      expect(result.rows.invoices).toBe(INVOICES);
      expect(result.rows.invoice_items).toBeGreaterThan(INVOICES * 4);
      expect(result.businessIds.length).toBeGreaterThanOrEqual(2);
      const types = await queryRows<{ doc_type: string; direction: string; n: number }>(
        database.db,
        sql`SELECT doc_type, direction, count(*)::int AS n FROM invoices WHERE tenant_id = ${tenantId} GROUP BY 1, 2`,
      );
      const kinds = new Set(types.map((t) => t.doc_type));
      for (const kind of [
        'invoice',
        'quotation',
        'proforma',
        'delivery_challan',
        'credit_note',
        'debit_note',
        'sales_return',
        'purchase_return',
      ]) {
        expect(kinds, kind).toContain(kind);
      }
      const [shape] = await queryRows<Record<string, number>>(
        database.db,
        sql`SELECT
          (SELECT count(*) FROM invoices WHERE tenant_id = ${tenantId} AND doc_type IN ('credit_note','sales_return','debit_note','purchase_return') AND reference_invoice_id IS NULL)::int AS unreferenced_corrections,
          (SELECT count(*) FROM invoices WHERE tenant_id = ${tenantId} AND status = 'partial')::int AS partial,
          (SELECT count(*) FROM invoices WHERE tenant_id = ${tenantId} AND status = 'paid')::int AS paid,
          (SELECT count(*) FROM (SELECT payment_id FROM payment_allocations WHERE tenant_id = ${tenantId} GROUP BY payment_id HAVING count(*) > 1) m)::int AS multi,
          (SELECT count(*) FROM bank_transactions WHERE tenant_id = ${tenantId} AND transfer_pair_id IS NOT NULL)::int AS transfers,
          (SELECT count(*) FROM expenses WHERE tenant_id = ${tenantId} AND category_id IS NOT NULL)::int AS expenses,
          (SELECT count(*) FROM item_variants WHERE tenant_id = ${tenantId})::int AS variants,
          (SELECT count(*) FROM stock_adjustments WHERE tenant_id = ${tenantId})::int AS adjustments,
          (SELECT count(*) FROM recurring_invoice_runs WHERE tenant_id = ${tenantId})::int AS runs,
          (SELECT count(*) FROM audit_log WHERE tenant_id = ${tenantId})::int AS audit`,
      );
      expect(shape!.unreferenced_corrections).toBe(0);
      for (const key of [
        'partial',
        'paid',
        'multi',
        'transfers',
        'expenses',
        'variants',
        'adjustments',
        'runs',
        'audit',
      ]) {
        expect(shape![key], key).toBeGreaterThan(0);
      }
      const checkStarted = Date.now();
      const problems = await checkConsistency(database.db, tenantId);
      expect(problems).toEqual([]);
      console.log(
        `${backend.kind}: seeded ${INVOICES} invoices in ${seededMs} ms, checked in ${Date.now() - checkStarted} ms`,
      );
    });

    it('is deterministic: the same seed gives the same rows, ids included', async () => {
      const digest = async (tenant: string) => {
        const rows = await queryRows<{ t: string; d: string }>(
          database.db,
          sql`SELECT 'invoices' AS t, md5(string_agg(concat_ws('|', id, number, status, invoice_date, total, amount_paid, reference_invoice_id), ',' ORDER BY id)) AS d FROM invoices WHERE tenant_id = ${tenant}
              UNION ALL SELECT 'invoice_items', md5(string_agg(concat_ws('|', id, invoice_id, item_id, quantity, total), ',' ORDER BY id)) FROM invoice_items WHERE tenant_id = ${tenant}
              UNION ALL SELECT 'payment_allocations', md5(string_agg(concat_ws('|', id, payment_id, invoice_id, amount, created_at), ',' ORDER BY id)) FROM payment_allocations WHERE tenant_id = ${tenant}
              UNION ALL SELECT 'items', md5(string_agg(concat_ws('|', id, stock_quantity), ',' ORDER BY id)) FROM items WHERE tenant_id = ${tenant}`,
        );
        return Object.fromEntries(rows.map((r) => [r.t, r.d]));
      };
      const [one, two, other] = [newId(), newId(), newId()];
      for (const id of [one, two, other])
        await database.db.insert(tenants).values({ id, name: id, slug: `d-${id}` });
      await seedDemoOrganization(database, { tenantId: one, invoices: 300, seed: 42 });
      await seedDemoOrganization(database, { tenantId: two, invoices: 300, seed: 42 });
      await seedDemoOrganization(database, { tenantId: other, invoices: 300, seed: 43 });
      expect(await digest(two)).toEqual(await digest(one));
      expect((await digest(other)).invoices).not.toBe((await digest(one)).invoices);
      // A second seeding into a non-empty organization is refused and changes nothing.
      const again = await seedDemoOrganization(database, { tenantId: one, invoices: 10, seed: 42 }).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(again).toMatch(/already has businesses/);
      expect(await checkConsistency(database.db, one)).toEqual([]);
    });

    it('finds a broken rule (the check is not blind)', async () => {
      await database.db.execute(
        sql`UPDATE invoices SET amount_paid = amount_paid + 1 WHERE tenant_id = ${tenantId} AND id = (SELECT id FROM invoices WHERE tenant_id = ${tenantId} AND status = 'partial' ORDER BY id LIMIT 1)`,
      );
      await database.db.execute(
        sql`UPDATE items SET stock_quantity = stock_quantity - 1 WHERE tenant_id = ${tenantId} AND id = (SELECT id FROM items WHERE tenant_id = ${tenantId} AND track_stock ORDER BY id LIMIT 1)`,
      );
      const problems = await checkConsistency(database.db, tenantId);
      const rules = problems.map((p) => p.rule);
      expect(rules).toContain('amount paid equals the sum of allocations');
      expect(rules).toContain('item stock equals its movements (adjustments and documents in force)');
    });
  });
}

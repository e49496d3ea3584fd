import type { Database } from '@hisaabo/db';
import { sql } from 'drizzle-orm';
import { uid } from './rich-organization.ts';

/** Adds `count` invoices with two lines each to an organization seeded by seedRichOrganization. */
export async function addBulkInvoices(database: Database, tenantId: string, count: number): Promise<void> {
  await database.db.execute(sql`
    INSERT INTO invoices (tenant_id, id, business_id, party_id, doc_type, direction, number, status, invoice_date,
                          subtotal, tax_amount, total, notes, created_at, updated_at)
    SELECT ${tenantId}::uuid, ('0193b000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, ${uid(0x100)}::uuid,
           ${uid(0x300)}::uuid, 'invoice', 'sale', 'BULK-' || n, 'unpaid', date '2026-01-01' + (n % 300),
           (n * 10.25)::numeric(15,2), (n * 1.5)::numeric(15,2), (n * 11.75)::numeric(15,2),
           'Bulk invoice № ' || n || ' 🧾', timestamptz '2026-01-01 00:00:00+00' + n * interval '1.000001 second',
           timestamptz '2026-01-01 00:00:00+00' + n * interval '1.000002 second'
    FROM generate_series(1, ${count}) AS n`);
  await database.db.execute(sql`
    INSERT INTO invoice_items (tenant_id, id, invoice_id, position, description, quantity, unit_price,
                               taxable_amount, tax_amount, total)
    SELECT ${tenantId}::uuid, ('0193c000-0000-7000-8000-' || lpad(to_hex(n * 2 + p), 12, '0'))::uuid,
           ('0193b000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, p + 1, 'Line ' || p || ' of ' || n,
           1.5, 3.25, 4.88, 0.24, 5.12
    FROM generate_series(1, ${count}) AS n, generate_series(0, 1) AS p`);
}

import { businesses, invoices, items, parties, auditLog } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreTenant, verifyArchive } from '../src/index.ts';
import { exportToBuffer, readEntries, tableEntries, toStream } from './support/archive.ts';
import { createTenant, uid } from './support/rich-organization.ts';

/** A decimal string of numeric(precision, scale), anywhere in the column's range. */
const decimal = (precision: number, scale: number) =>
  fc.bigInt({ min: -(10n ** BigInt(precision)) + 1n, max: 10n ** BigInt(precision) - 1n }).map((n) => {
    const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
    const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
    return n < 0n ? `-${text}` : text;
  });

/** An instant with microseconds, as PostgreSQL would print it in UTC. */
const instant = fc.bigInt({ min: 0n, max: 4_102_444_799_999_999n }).map((us) => {
  const iso = new Date(Number(us / 1000n)).toISOString();
  return `${iso.slice(0, 19)}.${(us % 1_000_000n).toString().padStart(6, '0')}Z`;
});

// Any text, and often the characters that COPY's text format and NDJSON treat specially.
const text = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.string({
      unit: fc.constantFrom('\\', '\t', '\n', '\r', '\\N', '\\.', '"', 'a', ' ', '€'),
      maxLength: 12,
    }),
  )
  .filter((s) => !s.includes('\u0000'));
// Plain objects (fast-check makes null-prototype ones) without NUL, which jsonb cannot hold.
const json = fc
  .jsonValue({ maxDepth: 3 })
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
  .filter((v) => !JSON.stringify(v).includes('\\u0000'));

const organization = fc.record({
  businessName: text,
  logo: fc.option(fc.uint8Array({ maxLength: 300 }), { nil: null }),
  settings: fc.dictionary(
    fc.string({ maxLength: 8 }).filter((s) => !s.includes('\u0000')),
    json,
    { maxKeys: 4, noNullPrototype: true },
  ),
  parties: fc.array(
    fc.record({ name: text, balance: decimal(15, 2), limit: fc.option(decimal(15, 2), { nil: null }) }),
    {
      maxLength: 4,
    },
  ),
  items: fc.array(
    fc.record({
      name: text,
      stock: decimal(15, 3),
      rate: decimal(5, 2),
      deletedAt: fc.option(instant, { nil: null }),
    }),
    {
      maxLength: 4,
    },
  ),
  invoices: fc.array(
    fc.record({ total: decimal(15, 2), createdAt: instant, reference: fc.option(fc.nat(), { nil: null }) }),
    {
      maxLength: 6,
    },
  ),
  audit: fc.array(fc.record({ details: fc.option(json, { nil: null }), createdAt: instant }), {
    maxLength: 3,
  }),
});

type Organization = typeof organization extends fc.Arbitrary<infer T> ? T : never;

async function seed(database: TestDatabase, tenantId: string, org: Organization): Promise<void> {
  const business = uid(1);
  await database.db.insert(businesses).values({
    tenantId,
    id: business,
    name: org.businessName,
    logo: org.logo,
    settings: org.settings as Record<string, unknown>,
  });
  if (org.parties.length > 0) {
    await database.db.insert(parties).values(
      org.parties.map((p, i) => ({
        tenantId,
        id: uid(100 + i),
        businessId: business,
        type: 'customer' as const,
        name: p.name,
        openingBalance: p.balance,
        creditLimit: p.limit,
      })),
    );
  }
  if (org.items.length > 0) {
    await database.db.insert(items).values(
      org.items.map((item, i) => ({
        tenantId,
        id: uid(200 + i),
        businessId: business,
        type: 'product' as const,
        name: item.name,
        stockQuantity: item.stock,
        taxRate: item.rate,
        deletedAt: item.deletedAt,
      })),
    );
  }
  const count = org.invoices.length;
  if (count > 0) {
    await database.db.insert(invoices).values(
      org.invoices.map((inv, i) => ({
        tenantId,
        id: uid(300 + i),
        businessId: business,
        docType: 'invoice' as const,
        direction: 'sale' as const,
        number: `N-${i}`,
        status: 'draft' as const,
        invoiceDate: '2026-01-01',
        total: inv.total,
        createdAt: inv.createdAt,
      })),
    );
    // References may point forwards or backwards in id order (a second pass is needed on restore).
    for (const [i, inv] of org.invoices.entries()) {
      if (inv.reference === null) continue;
      const { eq, and } = await import('drizzle-orm');
      await database.db
        .update(invoices)
        .set({ referenceInvoiceId: uid(300 + (inv.reference % count)) })
        .where(and(eq(invoices.tenantId, tenantId), eq(invoices.id, uid(300 + i))));
    }
  }
  if (org.audit.length > 0) {
    await database.db.insert(auditLog).values(
      org.audit.map((a, i) => ({
        tenantId,
        id: uid(400 + i),
        action: 'x',
        entityType: 'y',
        details: a.details as Record<string, unknown> | null,
        createdAt: a.createdAt,
      })),
    );
  }
}

for (const backend of testBackends()) {
  describe(`random organizations on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    it('export → verify → restore → export gives byte-identical table entries', async () => {
      await fc.assert(
        fc.asyncProperty(organization, async (org) => {
          const source = await createTenant(database);
          await seed(database, source.id, org);
          const { archive } = await exportToBuffer(database, source.id);
          expect((await verifyArchive(toStream(archive))).errors).toEqual([]);
          const target = await createTenant(database);
          await restoreTenant(database, target.id, toStream(archive));
          const again = tableEntries(await readEntries((await exportToBuffer(database, target.id)).archive));
          for (const [name, body] of tableEntries(await readEntries(archive))) {
            expect(again.get(name)?.toString('utf8'), name).toBe(body.toString('utf8'));
          }
        }),
        { numRuns: 8 },
      );
    });
  });
}

import { connect, type Database, invoices, newId, recurringInvoiceRuns, tenants } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { createBusiness, createParty, createRecurringTemplate } from '@hisaabo/domain';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { startRecurringScheduler } from '../src/scheduler.ts';

for (const backend of testBackends()) {
  describe(`recurring scheduler of two server processes (${backend.kind})`, () => {
    let database: TestDatabase;
    let second: Database;
    beforeAll(async () => {
      database = await backend.create();
      // On PostgreSQL the second "process" has its own pool; PGlite is one embedded database.
      second = database.url ? await connect({ databaseUrl: database.url, maxConnections: 4 }) : database;
    });
    afterAll(async () => {
      if (second && second !== database) await second.close();
      await database?.close();
    });

    it('generates every due run once, whichever process gets there first', async () => {
      const tenantId = newId();
      await database.db.insert(tenants).values({ id: tenantId, name: 'Sched', slug: `s-${tenantId}` });
      const business = await createBusiness(database.db, { tenantId }, { name: 'Sched Co' });
      const ctx = { tenantId, businessId: business.id };
      const party = await createParty(database.db, ctx, { type: 'customer', name: 'Weekly client' });
      await createRecurringTemplate(database.db, ctx, {
        partyId: party.id,
        name: 'Weekly cleaning',
        frequency: 'weekly',
        startDate: '2026-03-02',
        lineItems: [{ description: 'Cleaning', quantity: '1', unitPrice: '1500', taxRate: '18' }],
      });
      const now = () => new Date('2026-03-30T09:00:00Z');
      const logger = createLogger({ level: 'silent' });
      const a = startRecurringScheduler(database, { intervalMs: 3_600_000, logger, now });
      const b = startRecurringScheduler(second, { intervalMs: 3_600_000, logger, now });
      try {
        const [fromA, fromB] = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()]);
        const all = [...fromA, ...fromB].filter((o) => o.status === 'succeeded');
        // 2, 9, 16, 23, 30 March.
        expect(all.map((o) => o.runDate).sort()).toEqual([
          '2026-03-02',
          '2026-03-09',
          '2026-03-16',
          '2026-03-23',
          '2026-03-30',
        ]);
        expect(await b.runOnce()).toEqual([]);
      } finally {
        await a.stop();
        await b.stop();
      }
      const docs = await database.db
        .select({ number: invoices.number })
        .from(invoices)
        .where(eq(invoices.tenantId, tenantId));
      expect(docs.map((d) => d.number).sort()).toEqual([
        'INV-00001',
        'INV-00002',
        'INV-00003',
        'INV-00004',
        'INV-00005',
      ]);
      const runs = await database.db
        .select()
        .from(recurringInvoiceRuns)
        .where(eq(recurringInvoiceRuns.tenantId, tenantId));
      expect(runs).toHaveLength(5);
    });
  });
}

import { invoiceItems, invoices, payments } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupError, exportTenant, restoreTenant } from '../src/index.ts';
import { collect, exportToBuffer, readEntries, tableEntries, toStream } from './support/archive.ts';
import { observeTransactions } from './support/observe-transaction.ts';
import { createTenant, seedRichOrganization, uid } from './support/rich-organization.ts';
import { tenantRowCount } from './support/tenant-rows.ts';

for (const backend of testBackends()) {
  describe(`export snapshot on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    it('writes made during an export are not in it; the archive restores consistently', async () => {
      const source = await createTenant(database);
      await seedRichOrganization(database, source.id);
      const before = tableEntries(await readEntries((await exportToBuffer(database, source.id)).archive));

      // Small chunks and fetches so the export is still reading when the writes land.
      const handle = exportTenant(database, source.id, { chunkBytes: 256, fetchRows: 1 });
      const iterator = handle.stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);

      // Children and parents changing together: a new invoice with a line, a deleted line, an
      // updated payment. On PGlite these wait for the export's transaction; on PostgreSQL they commit now.
      const t = source.id;
      const writes = (async () => {
        await database.db.insert(invoices).values({
          tenantId: t,
          id: uid(0x5000),
          businessId: uid(0x100),
          docType: 'invoice',
          direction: 'sale',
          number: 'INV-NEW',
          status: 'unpaid',
          invoiceDate: '2026-11-25',
        });
        await database.db.insert(invoiceItems).values({
          tenantId: t,
          id: uid(0x5001),
          invoiceId: uid(0x5000),
          position: 1,
          description: 'written during export',
          quantity: '1.000',
          unitPrice: '1.00',
          taxableAmount: '1.00',
          taxAmount: '0.00',
          total: '1.00',
        });
        await database.db
          .delete(invoiceItems)
          .where(and(eq(invoiceItems.tenantId, t), eq(invoiceItems.id, uid(0xa01))));
        await database.db.update(payments).set({ amount: '1.00' }).where(eq(payments.tenantId, t));
      })();
      if (backend.kind === 'postgres') await writes;

      const rest = [first.value as Buffer];
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        rest.push(next.value as Buffer);
      }
      await writes;
      const summary = await handle.done;
      const archive = Buffer.concat(rest);
      expect(summary.bytes).toBe(archive.length);

      const during = new Map<string, Buffer[]>();
      for (const [name, body] of tableEntries(await readEntries(archive))) {
        const table = name.split('.')[0]!;
        during.set(table, [...(during.get(table) ?? []), body]);
      }
      for (const [name, body] of before) {
        expect(Buffer.concat(during.get(name.split('.')[0]!)!).equals(body), name).toBe(true);
      }
      const target = await createTenant(database);
      const report = await restoreTenant(database, target.id, toStream(archive));
      expect(report.rowsInserted.invoice_items).toBe(2);
      expect(await tenantRowCount(database, target.id)).toBe(
        Object.values(report.rowsInserted).reduce((a, b) => a + b, 0),
      );
    });

    it('exports in a repeatable-read, read-only transaction and restores in a read-committed one', async () => {
      // Asked inside the transactions themselves, so it holds on PGlite too, where no second
      // connection can write during the export to show the snapshot.
      const source = await createTenant(database);
      await seedRichOrganization(database, source.id);
      const observed = observeTransactions(database);
      const { archive } = await exportToBuffer(observed.database, source.id);
      expect(observed.seen).toEqual([{ isolation: 'repeatable read', readOnly: 'on' }]);
      const target = await createTenant(database);
      await restoreTenant(observed.database, target.id, toStream(archive));
      expect(observed.seen[1]).toEqual({ isolation: 'read committed', readOnly: 'off' });
    });

    it('splits big tables into numbered chunks that GNU tar lists and a restore reads', async () => {
      const source = await createTenant(database);
      await seedRichOrganization(database, source.id);
      const { archive, summary } = await exportToBuffer(database, source.id, { chunkBytes: 600 });
      const names = (await readEntries(archive)).map((e) => e.name);
      expect(names).toContain('invoices.ndjson');
      expect(names).toContain('invoices.2.ndjson');
      const target = await createTenant(database);
      const report = await restoreTenant(database, target.id, toStream(archive));
      expect(report.rowsInserted.invoices).toBe(summary.tables.invoices!.rows);
      // The table's bytes do not depend on chunking.
      const whole = tableEntries(await readEntries((await exportToBuffer(database, target.id)).archive));
      const parts = (await readEntries(archive))
        .filter((e) => e.name.startsWith('invoices.'))
        .map((e) => e.body);
      expect(Buffer.concat(parts).equals(whole.get('invoices.ndjson')!)).toBe(true);
    });

    it('fails with TENANT_NOT_FOUND for an unknown organization, and stops when aborted', async () => {
      const missing = exportTenant(database, '0193ffff-0000-7000-8000-0000000000ff');
      const [streamError, doneError] = await Promise.all([
        collect(missing.stream).catch((e: unknown) => e),
        missing.done.catch((e: unknown) => e),
      ]);
      expect((doneError as BackupError).code).toBe('TENANT_NOT_FOUND');
      expect(streamError).toBeInstanceOf(Error);

      const source = await createTenant(database);
      await seedRichOrganization(database, source.id);
      const controller = new AbortController();
      const aborted = exportTenant(database, source.id, {
        signal: controller.signal,
        fetchRows: 1,
        chunkBytes: 256,
      });
      const iterator = aborted.stream[Symbol.asyncIterator]();
      await iterator.next();
      controller.abort();
      await expect(aborted.done).rejects.toThrow(/aborted/);
      // The snapshot transaction has ended: the database answers again.
      expect(await tenantRowCount(database, source.id)).toBeGreaterThan(0);
    });
  });
}

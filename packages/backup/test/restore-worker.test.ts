import { TENANT_TABLES } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackupError, restoreTenant } from '../src/index.ts';
import {
  type TarEntry,
  exportToBuffer,
  readEntries,
  tableEntries,
  toStream,
  writeArchive,
} from './support/archive.ts';
import { addBulkInvoices } from './support/bulk.ts';
import { reindex, replaceBody } from './support/reindex.ts';
import { createTenant, seedRichOrganization } from './support/rich-organization.ts';
import { tenantRowCount } from './support/tenant-rows.ts';
import { expectNoWorkerLeft, threads } from './support/worker-threads.ts';

// The restore's line worker (line-work.worker.ts): the same archive read by a worker thread and on
// the reading thread gives the same rows and the same refusals, and a failure ends the worker.

vi.mock('../src/worker-script.ts', async (original) =>
  (await import('./support/worker-threads.ts')).recordingWorkers(original),
);

const IN_WORKER = { workerAfterBytes: 0 };
const ON_THIS_THREAD = { workerAfterBytes: Number.POSITIVE_INFINITY };

async function refusal(run: Promise<unknown>): Promise<BackupError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  return error as BackupError;
}

for (const backend of testBackends()) {
  describe(`restore with the line worker on ${backend.kind}`, () => {
    let database: TestDatabase;
    let archive: Buffer;
    let entries: TarEntry[];

    beforeAll(async () => {
      database = await backend.create();
      const source = await createTenant(database);
      await seedRichOrganization(database, source.id);
      await addBulkInvoices(database, source.id, 3000);
      ({ archive } = await exportToBuffer(database, source.id, { chunkBytes: 256 * 1024 }));
      entries = await readEntries(archive);
    });
    afterAll(() => database?.close());
    beforeEach(() => {
      threads.started.length = 0;
    });

    /** The restored organization exports every table byte for byte as the archive has it. */
    async function expectSameTables(tenant: string): Promise<void> {
      const again = tableEntries(await readEntries((await exportToBuffer(database, tenant)).archive));
      const first = tableEntries(entries);
      for (const spec of TENANT_TABLES) {
        // The archive is chunked (256 KiB), the new export is not: a table's chunks are compared whole.
        const whole = (map: Map<string, Buffer>) =>
          Buffer.concat([...map].filter(([n]) => n.startsWith(`${spec.name}.`)).map(([, b]) => b));
        expect(whole(again).equals(whole(first)), spec.name).toBe(true);
      }
    }

    it('reads the lines in a worker thread, and the restore exports byte-identical entries', async () => {
      const target = await createTenant(database);
      const report = await restoreTenant(database, target.id, toStream(archive), IN_WORKER);
      expect(threads.started).toHaveLength(1);
      expect(report.rowsInserted.invoices).toBe(3008);
      expect(report.rowsInserted.invoice_items).toBeGreaterThan(6000);
      await expectSameTables(target.id);
      await expectNoWorkerLeft();
    });

    it('hands the lines to a worker once its threshold is passed, with the same rows', async () => {
      const target = await createTenant(database);
      const report = await restoreTenant(database, target.id, toStream(archive), {
        workerAfterBytes: 64 * 1024,
      });
      expect(threads.started).toHaveLength(1);
      expect(report.rowsInserted.invoices).toBe(3008);
      await expectSameTables(target.id);
      await expectNoWorkerLeft();
    });

    it('starts no thread for a small restore', async () => {
      const small = await createTenant(database);
      const source = await createTenant(database);
      await seedRichOrganization(database, source.id);
      const { archive: smallArchive } = await exportToBuffer(database, source.id);
      await restoreTenant(database, small.id, toStream(smallArchive));
      expect(threads.started).toHaveLength(0);
    });

    it('a refusal found in the worker keeps its table, line and column, as on the reading thread', async () => {
      const altered = replaceBody(entries, 'invoices.ndjson', (b) => {
        const lines = b.split('\n');
        lines[200] = lines[200]!.replace(/"total":"[^"]*"/, '"total":12.5');
        return lines.join('\n');
      });
      const bytes = await writeArchive(reindex(altered));
      const [inWorker, here] = [await createTenant(database), await createTenant(database)];
      const workerError = await refusal(restoreTenant(database, inWorker.id, toStream(bytes), IN_WORKER));
      expect(threads.started).toHaveLength(1);
      const hereError = await refusal(restoreTenant(database, here.id, toStream(bytes), ON_THIS_THREAD));
      expect(workerError.errors[0]).toMatchObject({ table: 'invoices', line: 201, column: 'total' });
      expect(workerError.message).toBe(hereError.message);
      expect(workerError.errors).toEqual(hereError.errors);
      expect(await tenantRowCount(database, inWorker.id)).toBe(0);
      await expectNoWorkerLeft();
    });

    it('stops at the first 100 problems exactly as on the reading thread', async () => {
      const altered = replaceBody(entries, 'invoice_items.ndjson', (b) =>
        b.replace(/"quantity":"1.500"/g, '"quantity":"1.5"'),
      );
      const bytes = await writeArchive(reindex(altered));
      const [inWorker, here] = [await createTenant(database), await createTenant(database)];
      const workerError = await refusal(restoreTenant(database, inWorker.id, toStream(bytes), IN_WORKER));
      const hereError = await refusal(restoreTenant(database, here.id, toStream(bytes), ON_THIS_THREAD));
      expect(workerError.errors).toHaveLength(100);
      expect(workerError.message).toMatch(/^100 problems in the archive \(reading stopped there\)/);
      expect(workerError.message).toBe(hereError.message);
      expect(workerError.errors).toEqual(hereError.errors);
      expect(await tenantRowCount(database, inWorker.id)).toBe(0);
      await expectNoWorkerLeft();
    });

    it('a line too long and a cut archive are placed as on the reading thread', async () => {
      for (const [bytes, options] of [
        [archive, { maxLineBytes: 300 }],
        [archive.subarray(0, Math.floor(archive.length * 0.7)), {}],
      ] as const) {
        const [inWorker, here] = [await createTenant(database), await createTenant(database)];
        const workerError = await refusal(
          restoreTenant(database, inWorker.id, toStream(bytes), { ...options, ...IN_WORKER }),
        );
        const hereError = await refusal(
          restoreTenant(database, here.id, toStream(bytes), { ...options, ...ON_THIS_THREAD }),
        );
        expect(workerError.errors).toEqual(hereError.errors);
        expect(await tenantRowCount(database, inWorker.id)).toBe(0);
      }
      await expectNoWorkerLeft();
    });

    it('a database refusal mid-restore ends the worker and leaves the target empty', async () => {
      // The same invoice twice: valid lines, refused by the primary key during COPY.
      const altered = replaceBody(entries, 'invoices.2.ndjson', (b) => {
        const first = b.slice(0, b.indexOf('\n') + 1);
        return first + b;
      });
      const bytes = await writeArchive(reindex(altered));
      const target = await createTenant(database);
      const error = await refusal(restoreTenant(database, target.id, toStream(bytes), IN_WORKER));
      expect(error.message).toMatch(/database refused rows|duplicate key/);
      expect(await tenantRowCount(database, target.id)).toBe(0);
      expect(threads.started).toHaveLength(1);
      await expectNoWorkerLeft();
    });
  });
}

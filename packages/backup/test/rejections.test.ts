import { gzipSync } from 'node:zlib';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackupError,
  type BackupErrorCode,
  restoreTenant,
  schemaChecksum,
  verifyArchive,
} from '../src/index.ts';
import { type EntrySpec, type TarEntry, toStream, writeArchive } from './support/archive.ts';
import { reindex, replaceBody } from './support/reindex.ts';
import { richArchive } from './support/rich-archive.ts';
import { createTenant } from './support/rich-organization.ts';
import { tenantRowCount } from './support/tenant-rows.ts';

const asSpecs = (entries: TarEntry[]): EntrySpec[] => entries.map((e) => ({ name: e.name, body: e.body }));

for (const backend of testBackends()) {
  describe(`restore rejects bad archives on ${backend.kind}, leaving the target empty`, () => {
    let database: TestDatabase;
    let archive: Buffer;
    let entries: TarEntry[];

    beforeAll(async () => {
      ({ database, archive, entries } = await richArchive(backend));
    });
    afterAll(() => database?.close());

    /** Restores into a fresh organization, expects the error, and checks nothing was written. */
    async function expectRejected(
      bytes: Buffer,
      code: BackupErrorCode,
      match: RegExp,
      options: Parameters<typeof restoreTenant>[3] = {},
    ): Promise<BackupError> {
      const target = await createTenant(database);
      const error = await restoreTenant(database, target.id, toStream(bytes), options).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BackupError);
      const backupError = error as BackupError;
      expect(backupError.code, backupError.message).toBe(code);
      expect(JSON.stringify(backupError.errors), backupError.message).toMatch(match);
      expect(await tenantRowCount(database, target.id)).toBe(0);
      return backupError;
    }

    it('one flipped byte in a table entry (hash mismatch, the row itself still valid)', async () => {
      const altered = replaceBody(entries, 'parties.ndjson', (b) => b.replace('Zoë', 'Zoe'));
      const bytes = await writeArchive(asSpecs(altered));
      const error = await expectRejected(bytes, 'INVALID_ARCHIVE', /SHA-256/);
      expect(error.errors.some((e) => e.table === 'parties')).toBe(true);
      expect((await verifyArchive(toStream(bytes))).ok).toBe(false);
    });

    it('one flipped byte in the gzip stream', async () => {
      const bytes = Buffer.from(archive);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      await expectRejected(bytes, 'INVALID_ARCHIVE', /./);
    });

    it('a truncated file', async () => {
      await expectRejected(
        archive.subarray(0, Math.floor(archive.length * 0.8)),
        'INVALID_ARCHIVE',
        /truncated|corrupt|incomplete/,
      );
      await expectRejected(archive.subarray(0, archive.length - 4), 'INVALID_ARCHIVE', /truncated|corrupt/);
    });

    it('a removed entry', async () => {
      const bytes = await writeArchive(asSpecs(entries.filter((e) => e.name !== 'payments.ndjson')));
      await expectRejected(
        bytes,
        'INVALID_ARCHIVE',
        /payment_allocations.ndjson.*out of order|payments.ndjson/,
      );
    });

    it('a missing index', async () => {
      const bytes = await writeArchive(asSpecs(entries.filter((e) => e.name !== 'index.json')));
      await expectRejected(bytes, 'INVALID_ARCHIVE', /without index.json/);
    });

    it('an extra entry, before or after the index', async () => {
      const specs = asSpecs(entries);
      const extra = { name: 'notes.txt', body: 'hello\n' };
      await expectRejected(
        await writeArchive([...specs.slice(0, 3), extra, ...specs.slice(3)]),
        'INVALID_ARCHIVE',
        /unknown entry/,
      );
      await expectRejected(await writeArchive([...specs, extra]), 'INVALID_ARCHIVE', /follows index.json/);
    });

    it('a symlink, a hard link, a directory or a device entry', async () => {
      const specs = asSpecs(entries);
      for (const header of [
        { type: 'symlink' as const, linkname: '/etc/passwd' },
        { type: 'link' as const, linkname: 'manifest.json' },
        { type: 'directory' as const },
        { type: 'character-device' as const },
      ]) {
        const hostile = { name: 'parties.ndjson', body: Buffer.alloc(0), header };
        const bytes = await writeArchive([...specs.slice(0, 3), hostile, ...specs.slice(4)]);
        await expectRejected(bytes, 'INVALID_ARCHIVE', new RegExp(`is a ${header.type}`));
      }
    });

    it('a ../ path and an absolute path', async () => {
      const specs = asSpecs(entries);
      for (const name of ['../parties.ndjson', '/tmp/parties.ndjson', 'data/parties.ndjson']) {
        const bytes = await writeArchive([
          ...specs.slice(0, 3),
          { name, body: specs[3]!.body },
          ...specs.slice(4),
        ]);
        await expectRejected(bytes, 'INVALID_ARCHIVE', /not allowed/);
      }
    });

    it('a duplicate entry', async () => {
      const specs = asSpecs(entries);
      const bytes = await writeArchive([...specs.slice(0, 4), specs[3]!, ...specs.slice(4)]);
      await expectRejected(bytes, 'INVALID_ARCHIVE', /duplicate entry/);
    });

    it('a gzip bomb (decompressed size over the limit)', async () => {
      const zeros = Buffer.alloc(64 * 1024 * 1024);
      const bomb = gzipSync(zeros);
      expect(bomb.length).toBeLessThan(200_000);
      await expectRejected(bomb, 'ARCHIVE_TOO_LARGE', /more than/, { maxArchiveBytes: 16 * 1024 * 1024 });
      await expectRejected(archive, 'ARCHIVE_TOO_LARGE', /more than/, { maxArchiveBytes: 20_000 });
    });

    it('a line over the maximum length', async () => {
      await expectRejected(archive, 'INVALID_ARCHIVE', /"table":"businesses","line":1.*longer than/, {
        maxLineBytes: 200,
      });
    });

    it('a wrong row count', async () => {
      const specs = reindex(entries);
      const index = JSON.parse(specs.at(-1)!.body.toString());
      index.tables.invoices.rows += 1;
      index.entries.find((e: { name: string }) => e.name === 'invoices.ndjson').rows += 1;
      const bytes = await writeArchive([
        ...specs.slice(0, -1),
        { name: 'index.json', body: JSON.stringify(index) },
      ]);
      await expectRejected(bytes, 'INVALID_ARCHIVE', /invoices.ndjson: 8 rows, index says 9/);
    });

    it('an unknown column, with table, line and column', async () => {
      const altered = replaceBody(entries, 'items.ndjson', (b) => b.replace(/}\n$/, ',"colour":"red"}\n'));
      const error = await expectRejected(
        await writeArchive(reindex(altered)),
        'INVALID_ARCHIVE',
        /unknown column/,
      );
      expect(error.errors[0]).toMatchObject({ table: 'items', line: 2, column: 'colour' });
    });

    it('a missing column and an invalid value', async () => {
      const noEmail = replaceBody(entries, 'parties.ndjson', (b) => b.replace(/"email":null,/, ''));
      const error = await expectRejected(
        await writeArchive(reindex(noEmail)),
        'INVALID_ARCHIVE',
        /missing column/,
      );
      expect(error.errors[0]).toMatchObject({ table: 'parties', column: 'email' });
      const badMoney = replaceBody(entries, 'payments.ndjson', (b) =>
        b.replace('"amount":"100.00"', '"amount":100.5'),
      );
      const money = await expectRejected(
        await writeArchive(reindex(badMoney)),
        'INVALID_ARCHIVE',
        /decimal string/,
      );
      expect(money.errors[0]).toMatchObject({ table: 'payments', line: 1, column: 'amount' });
      // PostgreSQL would round 100.005 to 100.01 and store it: a third decimal is refused instead.
      const tooPrecise = replaceBody(entries, 'payments.ndjson', (b) =>
        b.replace('"amount":"100.00"', '"amount":"100.005"'),
      );
      const precise = await expectRejected(
        await writeArchive(reindex(tooPrecise)),
        'INVALID_ARCHIVE',
        /"column":"amount"/,
      );
      expect(precise.errors).toMatchObject([{ table: 'payments', line: 1, column: 'amount' }]);
      const badTime = replaceBody(entries, 'audit_log.ndjson', (b) =>
        b.replace('"2026-11-24T09:00:00.000001Z"', '"2026-11-24T09:00:00Z"'),
      );
      await expectRejected(await writeArchive(reindex(badTime)), 'INVALID_ARCHIVE', /6 fractional digits/);
    });

    it('invalid UTF-8 and invalid JSON', async () => {
      const parties = entries.find((e) => e.name === 'parties.ndjson')!;
      const broken = Buffer.from(parties.body);
      broken[broken.indexOf(Buffer.from('Zo'))! + 2] = 0xff;
      const utf8 = entries.map((e) => (e === parties ? { ...e, body: broken } : e));
      await expectRejected(await writeArchive(reindex(utf8)), 'INVALID_ARCHIVE', /not valid UTF-8/);
      const json = replaceBody(entries, 'items.ndjson', (b) => `${b}{"id": oops}\n`);
      await expectRejected(await writeArchive(reindex(json)), 'INVALID_ARCHIVE', /"line":3.*not valid JSON/);
    });

    it('a lone surrogate in a text value, naming table, line and column (not restored as U+FFFD)', async () => {
      const altered = replaceBody(entries, 'parties.ndjson', (b) => b.replace('Zoë', 'Zo\\ud800'));
      const bytes = await writeArchive(reindex(altered));
      const error = await expectRejected(bytes, 'INVALID_ARCHIVE', /lone surrogates/);
      const line = altered
        .find((e) => e.name === 'parties.ndjson')!
        .body.toString()
        .split('\n')
        .findIndex((l) => l.includes('\\ud800'));
      expect(error.errors[0]).toMatchObject({ table: 'parties', line: line + 1, column: 'contact_person' });
      const verdict = await verifyArchive(toStream(bytes));
      expect(verdict.errors[0]).toMatchObject({ table: 'parties', line: line + 1, column: 'contact_person' });
    });

    it('a line ending in \\r', async () => {
      const altered = replaceBody(entries, 'items.ndjson', (b) => b.replace('\n', '\r\n'));
      const error = await expectRejected(await writeArchive(reindex(altered)), 'INVALID_ARCHIVE', /ends in/);
      expect(error.errors[0]).toMatchObject({ table: 'items', line: 1 });
    });

    it('a jsonb value nested 5,000 deep: refused with its place by restore and verify alike', async () => {
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const altered = replaceBody(entries, 'businesses.ndjson', (b) =>
        b.replace('"settings":{}', `"settings":${deep}`),
      );
      expect(altered.find((e) => e.name === 'businesses.ndjson')!.body.toString()).toContain(deep);
      const bytes = await writeArchive(reindex(altered));
      const error = await expectRejected(bytes, 'INVALID_ARCHIVE', /at most 64 levels deep/);
      const place = { table: 'businesses', column: 'settings' };
      expect(error.errors[0]).toMatchObject(place);
      const verdict = await verifyArchive(toStream(bytes));
      expect(verdict.ok).toBe(false);
      expect(verdict.errors[0]).toMatchObject({ ...place, line: error.errors[0]!.line });
    });

    it('more than 100 row problems: the message and errors[] name the same first problem', async () => {
      // Three problems a row, so the hundredth problem falls inside a row.
      const badRows = Array.from({ length: 60 }, () => '{"id":"not-a-uuid","name":5,"colour":"red"}\n').join(
        '',
      );
      const altered = replaceBody(entries, 'expense_categories.ndjson', () => badRows);
      const error = await expectRejected(await writeArchive(reindex(altered)), 'INVALID_ARCHIVE', /./);
      expect(error.errors).toHaveLength(100);
      expect(error.errors[0]).toMatchObject({ table: 'expense_categories', line: 1 });
      expect(error.message).toMatch(
        /^100 problems in the archive \(reading stopped there\); first: expense_categories, line 1, /,
      );
      expect(error.errors.map((e) => e.line)).toEqual(
        [...error.errors.map((e) => e.line)].sort((a, b) => a! - b!),
      );
    });

    it('a row pointing at a row that is not in the archive', async () => {
      const dangling = replaceBody(entries, 'invoice_items.ndjson', (b) =>
        b.replace(/"invoice_id":"[^"]+"/, '"invoice_id":"0193a000-0000-7000-8000-00000000dead"'),
      );
      const bytes = await writeArchive(reindex(dangling));
      await expectRejected(
        bytes,
        'INVALID_ARCHIVE',
        /"column":"invoice_id".*refers to invoices .*dead, which is not in the archive/,
      );
      const report = await verifyArchive(toStream(bytes));
      expect(report.ok).toBe(false);
      expect(report.errors[0]).toMatchObject({ table: 'invoice_items', line: 1, column: 'invoice_id' });
    });

    it('the same row twice in a table nothing refers to: verify names it, restore refuses it', async () => {
      const duplicated = replaceBody(entries, 'audit_log.ndjson', (b) => `${b}${b.split('\n')[0]}\n`);
      const bytes = await writeArchive(reindex(duplicated));
      await expectRejected(bytes, 'INVALID_ARCHIVE', /duplicate key|already exists/);
      const report = await verifyArchive(toStream(bytes));
      expect(report.ok).toBe(false);
      expect(report.errors[0]).toMatchObject({
        table: 'audit_log',
        column: 'id',
        message: expect.stringMatching(/^duplicate id /),
      });
    });

    it('an altered manifest under the original index (same length, every table hash still right)', async () => {
      const manifest = entries.find((e) => e.name === 'manifest.json')!.body.toString();
      const exportedAt = /"exportedAt": "(\d)/.exec(manifest)!;
      const digit = exportedAt[1] === '1' ? '2' : '1';
      const altered = manifest.replace(exportedAt[0], `"exportedAt": "${digit}`);
      expect(altered).not.toBe(manifest);
      expect(Buffer.byteLength(altered)).toBe(Buffer.byteLength(manifest));
      const bytes = await writeArchive(
        asSpecs(entries).map((e) => (e.name === 'manifest.json' ? { ...e, body: altered } : e)),
      );
      const error = await expectRejected(bytes, 'INVALID_ARCHIVE', /manifest/);
      expect(error.errors).toMatchObject([{ table: 'index.json', line: null, column: null }]);
      expect((await verifyArchive(toStream(bytes))).ok).toBe(false);
    });

    it('a newer schema version, naming both versions', async () => {
      const newer = replaceBody(entries, 'manifest.json', (b) =>
        b.replace(/"schemaVersion": \d+/, '"schemaVersion": 99'),
      );
      const error = await expectRejected(
        await writeArchive(reindex(newer)),
        'INCOMPATIBLE_VERSION',
        /schema version 99/,
      );
      expect(error.message).toMatch(/newer than this server's schema version \d/);
    });

    it('a checksum no version has, and an unknown format version', async () => {
      const manifest = JSON.parse(entries[0]!.body.toString());
      manifest.tables[0].columns.push({ name: 'extra', type: 'text', notNull: false });
      manifest.schemaChecksum = schemaChecksum(manifest.tables);
      const unknown = replaceBody(entries, 'manifest.json', () => JSON.stringify(manifest));
      await expectRejected(
        await writeArchive(reindex(unknown)),
        'INCOMPATIBLE_VERSION',
        /is not the one of schema version/,
      );
      const tampered = replaceBody(entries, 'manifest.json', (b) =>
        b.replace('"type": "numeric(15,2)"', '"type": "numeric(16,2)"'),
      );
      await expectRejected(await writeArchive(reindex(tampered)), 'INVALID_ARCHIVE', /hash to/);
      const format = replaceBody(entries, 'manifest.json', (b) =>
        b.replace('"formatVersion": 1', '"formatVersion": 2'),
      );
      await expectRejected(await writeArchive(reindex(format)), 'INCOMPATIBLE_VERSION', /format version 2/);
    });

    it('a file that is not a gzip at all, and an empty one', async () => {
      await expectRejected(Buffer.from('PK\u0003\u0004 not a tar.gz'), 'INVALID_ARCHIVE', /gzip/);
      await expectRejected(Buffer.alloc(0), 'INVALID_ARCHIVE', /./);
    });

    it('a non-empty target', async () => {
      const target = await createTenant(database);
      await restoreTenant(database, target.id, toStream(archive));
      const before = await tenantRowCount(database, target.id);
      const error = await restoreTenant(database, target.id, toStream(archive)).catch((e: unknown) => e);
      expect((error as BackupError).code).toBe('TARGET_NOT_EMPTY');
      expect(await tenantRowCount(database, target.id)).toBe(before);
    });

    it('an organization that does not exist', async () => {
      const error = await restoreTenant(
        database,
        '0193ffff-0000-7000-8000-000000000000',
        toStream(archive),
      ).catch((e: unknown) => e);
      expect((error as BackupError).code).toBe('TENANT_NOT_FOUND');
    });

    it('two concurrent restores into one organization: one wins, the other gets TARGET_NOT_EMPTY', async () => {
      const target = await createTenant(database);
      const results = await Promise.allSettled([
        restoreTenant(database, target.id, toStream(archive)),
        restoreTenant(database, target.id, toStream(archive)),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((rejected.reason as BackupError).code).toBe('TARGET_NOT_EMPTY');
      const fulfilled = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{
        rowsInserted: Record<string, number>;
      }>;
      const total = Object.values(fulfilled.value.rowsInserted).reduce((a, b) => a + b, 0);
      expect(await tenantRowCount(database, target.id)).toBe(total);
    });
  });
}

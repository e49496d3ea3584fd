import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type VerifyOptions, type VerifyReport, schemaChecksum, verifyArchive } from '../src/index.ts';
import { type EntrySpec, type TarEntry, readEntries, toStream, writeArchive } from './support/archive.ts';
import { reindex, replaceBody } from './support/reindex.ts';

// The archive refusals of rejections.test.ts, checked by verify alone on the stored archive: no
// database, so each takes milliseconds (mutation testing runs these for every mutant of the reader).
// Each refusal names its place (table, line, column) where it has one.

const FIXTURE = new URL('./fixtures/schema-v1-rich.tar.gz', import.meta.url);
const asSpecs = (list: TarEntry[]): EntrySpec[] => list.map((e) => ({ name: e.name, body: e.body }));

let archive: Buffer;
let entries: TarEntry[];
beforeAll(async () => {
  archive = await readFile(FIXTURE);
  entries = await readEntries(archive);
});

async function refused(bytes: Buffer, match: RegExp, options: VerifyOptions = {}): Promise<VerifyReport> {
  const report = await verifyArchive(toStream(bytes), options);
  expect(report.ok).toBe(false);
  expect(report.errors.length).toBeGreaterThan(0);
  expect(JSON.stringify(report.errors)).toMatch(match);
  return report;
}

describe('verify refuses bad archives, naming the problem', () => {
  it('accepts the stored archive, with every table counted', async () => {
    const report = await verifyArchive(toStream(archive));
    expect(report).toMatchObject({ ok: true, errors: [] });
    expect(report.tables.invoices).toEqual({
      rows: 8,
      bytes: entries.find((e) => e.name === 'invoices.ndjson')!.body.length,
    });
    expect(Object.keys(report.tables)).toHaveLength(entries.length - 2);
  });

  it('one changed byte in a table entry: its SHA-256 differs from the index', async () => {
    const altered = replaceBody(entries, 'parties.ndjson', (b) => b.replace('Zoë', 'Zoe'));
    const report = await refused(await writeArchive(asSpecs(altered)), /SHA-256/);
    expect(report.errors[0]).toMatchObject({ table: 'parties' });
  });

  it('a truncated file, a file that is not gzip, an empty file', async () => {
    await refused(archive.subarray(0, Math.floor(archive.length * 0.8)), /truncated|corrupt/);
    await refused(archive.subarray(0, archive.length - 4), /truncated|corrupt/);
    await refused(Buffer.from('PK\u0003\u0004 not a tar.gz'), /not a valid gzip stream/);
    expect(await verifyArchive(toStream(Buffer.alloc(0)))).toEqual({
      ok: false,
      tables: {},
      errors: [expect.objectContaining({ table: null })],
      warnings: [],
    });
  });

  it('a removed entry, a missing index, an extra entry before or after the index, a duplicate', async () => {
    const specs = asSpecs(entries);
    await refused(
      await writeArchive(specs.filter((e) => e.name !== 'payments.ndjson')),
      /payment_allocations.ndjson.*out of order|payments.ndjson/,
    );
    await refused(await writeArchive(specs.filter((e) => e.name !== 'index.json')), /without index.json/);
    const extra = { name: 'notes.txt', body: 'hello\n' };
    await refused(await writeArchive([...specs.slice(0, 3), extra, ...specs.slice(3)]), /unknown entry/);
    await refused(await writeArchive([...specs, extra]), /follows index.json/);
    await refused(
      await writeArchive([...specs.slice(0, 4), specs[3]!, ...specs.slice(4)]),
      /duplicate entry/,
    );
  });

  it('links, directories and devices; unsafe names', async () => {
    const specs = asSpecs(entries);
    for (const header of [
      { type: 'symlink' as const, linkname: '/etc/passwd' },
      { type: 'link' as const, linkname: 'manifest.json' },
      { type: 'directory' as const },
      { type: 'character-device' as const },
    ]) {
      const hostile = { name: 'parties.ndjson', body: Buffer.alloc(0), header };
      await refused(
        await writeArchive([...specs.slice(0, 3), hostile, ...specs.slice(4)]),
        new RegExp(`entry \\\\"parties.ndjson\\\\" is a ${header.type}, not a regular file`),
      );
    }
    for (const name of [
      '../parties.ndjson',
      '/tmp/parties.ndjson',
      'data/parties.ndjson',
      'Parties.ndjson',
    ]) {
      const bytes = await writeArchive([
        ...specs.slice(0, 3),
        { name, body: specs[3]!.body },
        ...specs.slice(4),
      ]);
      await refused(bytes, /is not allowed/);
    }
  });

  it('over the decompressed size limit, and a line over the maximum length', async () => {
    await refused(gzipSync(Buffer.alloc(4 * 1024 * 1024)), /decompresses to more than 1048576 bytes/, {
      maxArchiveBytes: 1024 * 1024,
    });
    await refused(archive, /decompresses to more than 20000 bytes/, { maxArchiveBytes: 20_000 });
    const report = await refused(archive, /longer than the maximum of 200 bytes/, { maxLineBytes: 200 });
    expect(report.errors[0]).toMatchObject({ table: 'businesses', line: 1 });
  });

  it('a wrong row count in the index', async () => {
    const specs = reindex(entries);
    const index = JSON.parse(specs.at(-1)!.body.toString());
    index.tables.invoices.rows += 1;
    index.entries.find((e: { name: string }) => e.name === 'invoices.ndjson').rows += 1;
    await refused(
      await writeArchive([...specs.slice(0, -1), { name: 'index.json', body: JSON.stringify(index) }]),
      /invoices.ndjson: 8 rows, index says 9/,
    );
  });

  it('rows: an unknown or missing column, an invalid value, with table, line and column', async () => {
    const colour = replaceBody(entries, 'items.ndjson', (b) => b.replace(/}\n$/, ',"colour":"red"}\n'));
    const unknown = await refused(await writeArchive(reindex(colour)), /unknown column/);
    expect(unknown.errors[0]).toMatchObject({ table: 'items', line: 2, column: 'colour' });
    const noEmail = replaceBody(entries, 'parties.ndjson', (b) => b.replace(/"email":null,/, ''));
    const missing = await refused(await writeArchive(reindex(noEmail)), /missing column/);
    expect(missing.errors[0]).toMatchObject({ table: 'parties', column: 'email' });
    const money = replaceBody(entries, 'payments.ndjson', (b) =>
      b.replace('"amount":"100.00"', '"amount":"100.005"'),
    );
    const precise = await refused(await writeArchive(reindex(money)), /exactly 2 decimals/);
    expect(precise.errors).toMatchObject([{ table: 'payments', line: 1, column: 'amount' }]);
  });

  it('invalid UTF-8, invalid JSON, a line ending in \\r, a line without its newline', async () => {
    const parties = entries.find((e) => e.name === 'parties.ndjson')!;
    const broken = Buffer.from(parties.body);
    broken[broken.indexOf(Buffer.from('Zo')) + 2] = 0xff;
    const utf8 = entries.map((e) => (e === parties ? { ...e, body: broken } : e));
    await refused(await writeArchive(reindex(utf8)), /not valid UTF-8/);
    const json = replaceBody(entries, 'items.ndjson', (b) => `${b}{"id": oops}\n`);
    const report = await refused(await writeArchive(reindex(json)), /not valid JSON/);
    expect(report.errors[0]).toMatchObject({ table: 'items', line: 3 });
    const cr = replaceBody(entries, 'items.ndjson', (b) => b.replace('\n', '\r\n'));
    const crReport = await refused(await writeArchive(reindex(cr)), /ends in/);
    expect(crReport.errors[0]).toMatchObject({ table: 'items', line: 1 });
    const cut = replaceBody(entries, 'items.ndjson', (b) => b.slice(0, -1));
    const cutReport = await refused(await writeArchive(reindex(cut)), /ends in the middle of a line/);
    expect(cutReport.errors[0]).toMatchObject({ table: 'items', line: 2 });
  });

  it('more than 100 row problems: the first 100, in order', async () => {
    const badRows = Array.from({ length: 60 }, () => '{"id":"not-a-uuid","name":5,"colour":"red"}\n').join(
      '',
    );
    const altered = replaceBody(entries, 'expense_categories.ndjson', () => badRows);
    const report = await refused(await writeArchive(reindex(altered)), /./);
    expect(report.errors).toHaveLength(100);
    expect(report.errors[0]).toMatchObject({ table: 'expense_categories', line: 1 });
    const lines = report.errors.map((e) => e.line!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('warns of columns the archive leaves out, naming table, column and reason', async () => {
    const redacted = replaceBody(entries, 'manifest.json', (b) => {
      const parsed = JSON.parse(b);
      parsed.tables[0].redacted = { secret: 'not exported' };
      return JSON.stringify(parsed);
    });
    const report = await verifyArchive(toStream(await writeArchive(reindex(redacted))));
    expect(report.errors).toEqual([]);
    expect(report.warnings).toContainEqual({
      table: 'businesses',
      message: 'secret is not in backups (not exported)',
    });
  });

  it('more than 100 reference problems: the first 100', async () => {
    const repeated = replaceBody(entries, 'audit_log.ndjson', (b) => b.repeat(120));
    const report = await refused(await writeArchive(reindex(repeated)), /duplicate id/);
    expect(report.errors).toHaveLength(100);
    expect(report.errors[0]).toMatchObject({ table: 'audit_log', line: 2 });
  });

  it('a dangling reference and a duplicate id', async () => {
    const dangling = replaceBody(entries, 'invoice_items.ndjson', (b) =>
      b.replace(/"invoice_id":"[^"]+"/, '"invoice_id":"0193a000-0000-7000-8000-00000000dead"'),
    );
    const report = await refused(
      await writeArchive(reindex(dangling)),
      /refers to invoices 0193a000-0000-7000-8000-00000000dead, which is not in the archive/,
    );
    expect(report.errors[0]).toMatchObject({ table: 'invoice_items', line: 1, column: 'invoice_id' });
    // A reference within one table is checked once the table is read (the row may come later).
    const pair = replaceBody(entries, 'bank_transactions.ndjson', (b) =>
      b.replace(
        '"transfer_pair_id":"0193a000-0000-7000-8000-000000000e02"',
        '"transfer_pair_id":"0193a000-0000-7000-8000-00000000beef"',
      ),
    );
    const pairLine = pair
      .find((e) => e.name === 'bank_transactions.ndjson')!
      .body.toString()
      .split('\n')
      .findIndex((l) => l.includes('beef'));
    const self = await refused(
      await writeArchive(reindex(pair)),
      /refers to bank_transactions 0193a000-0000-7000-8000-00000000beef, which is not in the archive/,
    );
    expect(self.errors).toMatchObject([
      { table: 'bank_transactions', line: pairLine + 1, column: 'transfer_pair_id' },
    ]);
    const duplicated = replaceBody(entries, 'audit_log.ndjson', (b) => `${b}${b.split('\n')[0]}\n`);
    const twice = await refused(await writeArchive(reindex(duplicated)), /duplicate id/);
    expect(twice.errors[0]).toMatchObject({ table: 'audit_log', line: 2, column: 'id' });
  });

  it('the manifest: altered under the original index, a newer schema, an unknown checksum, a format', async () => {
    const manifest = entries.find((e) => e.name === 'manifest.json')!.body.toString();
    const altered = manifest.replace('"exportedAt": "2', '"exportedAt": "1');
    expect(Buffer.byteLength(altered)).toBe(Buffer.byteLength(manifest));
    const underOriginal = asSpecs(entries).map((e) =>
      e.name === 'manifest.json' ? { ...e, body: altered } : e,
    );
    const report = await refused(await writeArchive(underOriginal), /manifest/);
    expect(report.errors).toMatchObject([{ table: 'index.json', line: null, column: null }]);
    const newer = replaceBody(entries, 'manifest.json', (b) =>
      b.replace(/"schemaVersion": \d+/, '"schemaVersion": 99'),
    );
    await refused(
      await writeArchive(reindex(newer)),
      /schema version 99, newer than this server's schema version/,
    );
    const parsed = JSON.parse(manifest);
    parsed.tables[0].columns.push({ name: 'extra', type: 'text', notNull: false });
    parsed.schemaChecksum = schemaChecksum(parsed.tables);
    const unknown = replaceBody(entries, 'manifest.json', () => JSON.stringify(parsed));
    await refused(await writeArchive(reindex(unknown)), /is not the one of schema version 1/);
    const tampered = replaceBody(entries, 'manifest.json', (b) =>
      b.replace('"type": "numeric(15,2)"', '"type": "numeric(16,2)"'),
    );
    const hashes = await refused(await writeArchive(reindex(tampered)), /hash to/);
    expect(hashes.errors).toMatchObject([{ table: 'manifest.json', line: null, column: null }]);
    const format = replaceBody(entries, 'manifest.json', (b) =>
      b.replace('"formatVersion": 1', '"formatVersion": 2'),
    );
    await refused(await writeArchive(reindex(format)), /format version 2/);
  });
});

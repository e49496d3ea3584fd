import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { OpenedArchive, type RowSink } from '../src/archive-walker.ts';
import { LocalLineStage } from '../src/line-stage.ts';
import { LineWork } from '../src/line-work.ts';
import { tenantTableRules } from '../src/row-validator.ts';
import { BackupError } from '../src/errors.ts';
import { MAX_METADATA_BYTES } from '../src/manifest.ts';
import { verifyArchive } from '../src/verify.ts';
import { type EntrySpec, type TarEntry, toStream, writeArchive } from './support/archive.ts';
import { reindex, replaceBody } from './support/reindex.ts';
import { failureOf, richFixtureEntries, walkError } from './support/walk.ts';

// The archive walk that verify and restore share, on the stored archive and without a database:
// the order of entries and chunks, the index's account of them, the metadata entries, and which
// problems are reported, in which order, and under which message.

const asSpecs = (list: TarEntry[]): EntrySpec[] => list.map((e) => ({ name: e.name, body: e.body }));

let entries: TarEntry[];
let tables: TarEntry[];
beforeAll(async () => {
  entries = await richFixtureEntries();
  tables = entries.filter((e) => e.name.endsWith('.ndjson'));
});

interface Stats {
  rows: number;
  bytes: number;
  sha256: string;
}
interface Index {
  manifest: { bytes: number; sha256: string };
  entries: (Stats & { name: string })[];
  tables: Record<string, Stats>;
}

function withIndex(specs: EntrySpec[], change: (index: Index) => void): EntrySpec[] {
  const index = JSON.parse(specs.at(-1)!.body.toString()) as Index;
  change(index);
  return [...specs.slice(0, -1), { name: 'index.json', body: JSON.stringify(index) }];
}

/** The fixture with `table`'s lines split over two chunk entries, `table.ndjson` and `table.2.ndjson`. */
function chunked(table: string): TarEntry[] {
  return entries.flatMap((e) => {
    if (e.name !== `${table}.ndjson`) return [e];
    const lines = e.body.toString().split(/(?<=\n)/);
    const half = Math.ceil(lines.length / 2);
    return [
      { ...e, body: Buffer.from(lines.slice(0, half).join('')) },
      { ...e, name: `${table}.2.ndjson`, body: Buffer.from(lines.slice(half).join('')) },
    ];
  });
}

describe('the start of an archive', () => {
  it('an archive with no entry at all is empty', async () => {
    const error = await walkError(gzipSync(Buffer.alloc(1024)));
    expect(error.errors).toMatchObject([{ message: 'the archive is empty', table: null }]);
  });

  it('starts with manifest.json', async () => {
    const specs = asSpecs(entries);
    const error = await walkError(await writeArchive([specs[1]!, specs[0]!, ...specs.slice(2)]));
    expect(error.errors[0]!.message).toBe(
      `the first entry is "${specs[1]!.name}"; an archive starts with manifest.json`,
    );
  });

  it('refuses a manifest that is too large, not UTF-8, not JSON, of another format or version', async () => {
    const specs = asSpecs(entries);
    const manifest = (body: Buffer | string) =>
      writeArchive([{ name: 'manifest.json', body }, ...specs.slice(1)]);
    const large = await walkError(await manifest(Buffer.alloc(MAX_METADATA_BYTES + 1, 0x20)));
    expect(large.errors[0]!.message).toBe(`manifest.json is larger than ${MAX_METADATA_BYTES} bytes`);
    const latin1 = await walkError(await manifest(Buffer.from([0x7b, 0xff, 0x7d])));
    expect(latin1.errors).toMatchObject([
      { message: 'manifest.json is not valid UTF-8', table: 'manifest.json' },
    ]);
    const notJson = await walkError(await manifest('{"format": '));
    expect(notJson.errors[0]!.message).toMatch(/^manifest\.json is not valid JSON \(/);
    expect(notJson.errors[0]!.table).toBe('manifest.json');
    const original = JSON.parse(specs[0]!.body.toString());
    const other = await walkError(await manifest(JSON.stringify({ ...original, format: 'pg_dump' })));
    expect(other.errors).toMatchObject([
      { message: 'manifest.json: format is "pg_dump", not "hisaabo-export"', table: 'manifest.json' },
    ]);
    const newer = await walkError(await manifest(JSON.stringify({ ...original, formatVersion: 2 })));
    expect(newer.code).toBe('INCOMPATIBLE_VERSION');
    expect(newer.message).toBe('the archive is in format version 2; this server reads format version 1');
    const shapeless = await walkError(await manifest(JSON.stringify({ ...original, tables: 'none' })));
    expect(shapeless.code).toBe('INVALID_ARCHIVE');
    expect(shapeless.errors[0]).toMatchObject({ table: 'manifest.json', column: 'tables' });
    expect(shapeless.errors[0]!.message).toMatch(/^manifest\.json: tables: /);
    expect(shapeless.message).toBe(shapeless.errors[0]!.message);
    const notAnObject = await walkError(await manifest('5'));
    expect(notAnObject.errors[0]).toMatchObject({ table: 'manifest.json', column: null });
    expect(notAnObject.errors[0]!.message).toMatch(/^manifest\.json: \(root\): /);
  });

  it('checks the format version as a number: a string is a malformed manifest, not a newer one', async () => {
    const specs = asSpecs(entries);
    const original = JSON.parse(specs[0]!.body.toString());
    expect(original.formatVersion).toBe(1);
    const text = await walkError(
      await writeArchive([
        { name: 'manifest.json', body: JSON.stringify({ ...original, formatVersion: '2' }) },
        ...specs.slice(1),
      ]),
    );
    expect(text.code).toBe('INVALID_ARCHIVE');
    expect(text.errors[0]).toMatchObject({ table: 'manifest.json', column: 'formatVersion' });
  });
});

describe('the order of entries', () => {
  it('reads a table in chunks, counting them as one table', async () => {
    const archive = await OpenedArchive.open(toStream(await writeArchive(reindex(chunked('invoices')))));
    const result = await archive.readTables({});
    expect(result.tables.invoices).toEqual({
      rows: 8,
      bytes: tables.find((e) => e.name === 'invoices.ndjson')!.body.length,
    });
  });

  it('names the entry expected where a chunk is missing or a table is out of place', async () => {
    const split = reindex(chunked('invoices'));
    const names = split.map((e) => e.name);
    const before = names[names.indexOf('invoices.ndjson') - 1]!.replace('.ndjson', '');
    const skipped = await walkError(await writeArchive(split.filter((e) => e.name !== 'invoices.ndjson')));
    expect(skipped.errors).toMatchObject([
      {
        message: `entry "invoices.2.ndjson" is out of order or a chunk is missing: expected "${before}.2.ndjson" or "invoices.ndjson"`,
        table: 'invoices',
      },
    ]);
    const first = await walkError(await writeArchive([split[0]!, ...split.slice(2)]));
    expect(first.errors).toMatchObject([
      {
        message: `entry "${names[2]}" is out of order or a chunk is missing: expected "${names[1]}"`,
        table: names[2]!.replace('.ndjson', ''),
      },
    ]);
    const last = names.at(-2)!.replace('.ndjson', '');
    const behind = await walkError(
      await writeArchive([...split.slice(0, -1), { name: 'businesses.2.ndjson', body: '' }, split.at(-1)!]),
    );
    expect(behind.errors[0]!.message).toBe(
      `entry "businesses.2.ndjson" is out of order or a chunk is missing: expected "${last}.2.ndjson" or "index.json"`,
    );
  });

  it('names the first table missing when the index comes too early', async () => {
    const specs = asSpecs(entries);
    const last = specs.at(-2)!;
    const error = await walkError(await writeArchive(specs.filter((e) => e !== last)));
    const table = last.name.replace('.ndjson', '');
    expect(error.errors).toMatchObject([{ message: `entry "${last.name}" is missing`, table }]);
  });

  it('refuses a second manifest.json and an entry of a table the archive does not have', async () => {
    const specs = asSpecs(entries);
    const twice = await walkError(await writeArchive([specs[0]!, specs[0]!, ...specs.slice(1)]));
    expect(twice.errors[0]!.message).toBe('duplicate entry "manifest.json"');
    const stranger = await walkError(
      await writeArchive([specs[0]!, { name: 'salaries.ndjson', body: '' }, ...specs.slice(1)]),
    );
    expect(stranger.errors[0]!.message).toBe('unknown entry "salaries.ndjson": not a table of this archive');
  });
});

describe('the index', () => {
  it('accounts for each entry: rows, bytes and SHA-256, each named', async () => {
    const specs = reindex(entries);
    const bytes = withIndex(specs, (index) => {
      const entry = index.entries.find((e) => e.name === 'items.ndjson')!;
      entry.bytes += 1;
      entry.sha256 = '0'.repeat(64);
    });
    const error = await walkError(await writeArchive(bytes));
    const size = tables.find((e) => e.name === 'items.ndjson')!.body.length;
    expect(error.errors).toContainEqual(
      expect.objectContaining({
        message: `entry items.ndjson: ${size} bytes, index says ${size + 1}; SHA-256 differs from the index: the entry was altered`,
        table: 'items',
      }),
    );
  });

  it('accounts for each table, and for no table the archive lacks', async () => {
    const specs = reindex(entries);
    const items = tables.find((e) => e.name === 'items.ndjson')!.body;
    const rows = items.toString().split('\n').filter(Boolean).length;
    const altered = withIndex(specs, (index) => {
      index.tables.items!.sha256 = '0'.repeat(64);
      index.tables.salaries = { rows: 0, bytes: 0, sha256: '0'.repeat(64) };
    });
    const error = await walkError(await writeArchive(altered));
    expect(error.errors).toEqual([
      expect.objectContaining({
        message: `table items: ${rows} rows / ${items.length} bytes, index says ${rows} rows / ${items.length} bytes (SHA-256 differs)`,
        table: 'items',
      }),
      expect.objectContaining({
        message: 'index.json names table salaries, which the archive lacks',
        table: 'index.json',
      }),
    ]);
    const missing = withIndex(specs, (index) => {
      index.tables.items!.rows += 1;
      delete index.tables.parties;
    });
    const both = await walkError(await writeArchive(missing));
    const messages = both.errors.map((e) => e.message);
    expect(messages).toContainEqual(
      expect.stringMatching(/^table items: \d+ rows \/ \d+ bytes, index says \d+ rows \/ \d+ bytes$/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^table parties: \d+ rows \/ \d+ bytes, index says nothing$/),
    );
  });

  it("checks the manifest's size as well as its SHA-256", async () => {
    const error = await walkError(
      await writeArchive(
        withIndex(reindex(entries), (index) => {
          index.manifest.bytes += 1;
        }),
      ),
    );
    expect(error.errors.map((e) => e.message)).toEqual([
      'manifest.json does not match its size or SHA-256 in index.json',
    ]);
  });

  it('lists the entries the archive holds, in its order', async () => {
    const specs = reindex(entries);
    const swapped = withIndex(specs, (index) => {
      const list = index.entries;
      [list[0], list[1]] = [list[1]!, list[0]!];
    });
    const error = await walkError(await writeArchive(swapped));
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]!.message).toMatch(
      /^index\.json lists entries \[[^\]]+\] but the archive holds \[businesses\.ndjson,/,
    );
    expect(error.errors[0]!.table).toBe('index.json');
  });

  it('refuses an index that is not JSON, naming it', async () => {
    const specs = asSpecs(entries);
    const error = await walkError(
      await writeArchive([...specs.slice(0, -1), { name: 'index.json', body: '{' }]),
    );
    expect(error.errors[0]).toMatchObject({ table: 'index.json' });
    expect(error.errors[0]!.message).toMatch(/^index\.json is not valid JSON/);
  });
});

describe('problems found before the one that stops the reading', () => {
  it('come first, and the message sums up the same list', async () => {
    const colour = replaceBody(entries, 'items.ndjson', (b) => b.replace(/}\n$/, ',"colour":"red"}\n'));
    const cut = reindex(colour).filter((e) => e.name !== 'index.json');
    const error = await walkError(await writeArchive(cut));
    expect(error.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/unknown column/),
      'the archive ends without index.json: it is incomplete',
    ]);
    expect(error.message).toMatch(/^2 problems in the archive; first: items, line 2, colour: /);
  });

  it('stop at 100, and the message says the reading stopped there', async () => {
    const badRows = Array.from({ length: 120 }, () => '{"id":"not-a-uuid"}\n').join('');
    const error = await walkError(
      await writeArchive(reindex(replaceBody(entries, 'expense_categories.ndjson', () => badRows))),
    );
    expect(error.errors).toHaveLength(100);
    expect(error.message).toMatch(
      /^100 problems in the archive \(reading stopped there\); first: expense_categories, line 1/,
    );
  });

  it('with a structural one after 100, still 100 and stopped', async () => {
    const badRows = Array.from({ length: 30 }, () => '{"id":"not-a-uuid","name":5,"colour":"red"}\n').join(
      '',
    );
    const many = reindex(replaceBody(entries, 'expense_categories.ndjson', () => badRows)).filter(
      (e) => e.name !== 'index.json',
    );
    const error = await walkError(await writeArchive(many));
    expect(error.errors).toHaveLength(100);
    expect(error.message).toContain('(reading stopped there)');
  });
});

describe('verify reports the walk', () => {
  it('as its errors, never thrown', async () => {
    const report = await verifyArchive(toStream(gzipSync(Buffer.alloc(1024))));
    expect(report).toMatchObject({ ok: false, errors: [{ message: 'the archive is empty' }] });
  });
});

describe('the rows handed on, as a restore takes them', () => {
  type Event = string;
  function encodingStage(archive: OpenedArchive): LocalLineStage {
    const encode = {
      tenantId: '0193a000-0000-7000-8000-0000000000aa',
      pauseRecurring: false,
      selfReferencesInline: true,
    };
    return new LocalLineStage(new LineWork(archive.plan, tenantTableRules(), encode));
  }
  function recorder(events: Event[], failOn?: string): RowSink {
    return {
      startTable: (table) => void events.push(`start ${table.name}`),
      rows: (table, batch) => {
        if (table.name === failOn) throw new Error(`the database refused ${failOn}`);
        events.push(`rows ${table.name} ${batch.rows} ${batch.copy ? 'copy' : 'none'}`);
      },
      endTable: (table) => void events.push(`end ${table.name}`),
    };
  }

  it('every table started, its rows as COPY text, then ended, in archive order', async () => {
    const archive = await OpenedArchive.open(toStream(await writeArchive(reindex(entries))));
    const events: Event[] = [];
    await archive.readTables(recorder(events), encodingStage(archive));
    const invoices = events.filter((e) => e.includes(' invoices'));
    expect(invoices).toEqual(['start invoices', 'rows invoices 8 copy', 'end invoices']);
    expect(events[0]).toBe('start businesses');
    expect(events.filter((e) => e.startsWith('start'))).toHaveLength(tables.length);
    expect(events.filter((e) => e.startsWith('end'))).toHaveLength(tables.length);
  });

  it('nothing handed on once a problem is found, and no table ended after it', async () => {
    const colour = replaceBody(entries, 'items.ndjson', (b) => b.replace(/}\n$/, ',"colour":"red"}\n'));
    const archive = await OpenedArchive.open(toStream(await writeArchive(reindex(colour))));
    const events: Event[] = [];
    const failure = await failureOf(archive.readTables(recorder(events), encodingStage(archive)));
    expect(failure).toBeInstanceOf(BackupError);
    const itemsAt = events.indexOf('start items');
    expect(itemsAt).toBeGreaterThan(0);
    expect(events.slice(itemsAt)).toEqual(['start items']);
  });

  it("the sink's own failure ends the walk with that failure, unchanged", async () => {
    const archive = await OpenedArchive.open(toStream(await writeArchive(reindex(entries))));
    const events: Event[] = [];
    await expect(archive.readTables(recorder(events, 'parties'), encodingStage(archive))).rejects.toThrow(
      'the database refused parties',
    );
    expect(events.at(-1)).toBe('start parties');
  });
});

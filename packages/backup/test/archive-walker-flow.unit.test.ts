import { gunzipSync } from 'node:zlib';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { OpenedArchive, type RowSink } from '../src/archive-walker.ts';
import { BackupError } from '../src/errors.ts';
import type { LineStage } from '../src/line-stage.ts';
import { LocalLineStage } from '../src/line-stage.ts';
import { type BatchOutcome, LineWork } from '../src/line-work.ts';
import { MAX_METADATA_BYTES } from '../src/manifest.ts';
import { tenantTableRules } from '../src/row-validator.ts';
import { type EntrySpec, type TarEntry, toStream, writeArchive } from './support/archive.ts';
import { reindex, replaceBody } from './support/reindex.ts';
import { failureOf, richFixtureEntries, walkError } from './support/walk.ts';

// How the walk hands lines to its stage and rows to its sink: how many batches are out at once,
// which rows are handed on once something went wrong, which failure wins, and that the stage is
// always closed. The stages here are test stages that answer when the test lets them.

let entries: TarEntry[];
beforeAll(async () => {
  entries = await richFixtureEntries();
});

const newlines = (batch: Buffer) => batch.reduce((n, byte) => n + (byte === 0x0a ? 1 : 0), 0);
const outcome = (lines: number, more: Partial<BatchOutcome> = {}): BatchOutcome => ({
  lines,
  issues: [],
  copy: null,
  rows: 0,
  references: [],
  paused: 0,
  ...more,
});

/** A stage whose outcomes wait until the test releases them; it counts pushes and closes. */
class HeldStage implements LineStage {
  pushed = 0;
  closed = 0;
  private readonly held: (() => void)[] = [];
  constructor(
    private readonly answer: (batch: Buffer, n: number) => BatchOutcome | Error = (b) => outcome(newlines(b)),
  ) {}
  startTable(): void {}
  push(batch: Buffer): Promise<BatchOutcome> {
    const n = ++this.pushed;
    return new Promise((resolve, reject) => {
      this.held.push(() => {
        const answer = this.answer(batch, n);
        if (answer instanceof Error) reject(answer);
        else resolve(answer);
      });
    });
  }
  async close(): Promise<void> {
    this.closed += 1;
  }
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }
}

/** Releases outcomes until the walk ends; what it ended with. */
async function releaseUntilDone(stage: HeldStage, walk: Promise<unknown>): Promise<unknown> {
  let done = false;
  const ended = failureOf(walk).finally(() => {
    done = true;
  });
  while (!done) {
    stage.release();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return ended;
}

describe('batches out at once', () => {
  it('at most eight: the ninth waits for the first to come back', async () => {
    // The first table, so that no earlier table's end waits for its batches to come back.
    const line = entries.find((e) => e.name === 'businesses.ndjson')!.body.toString();
    const big = replaceBody(entries, 'businesses.ndjson', () =>
      line.repeat(Math.ceil(4_000_000 / line.length)),
    );
    const archive = await OpenedArchive.open(toStream(await writeArchive(reindex(big))));
    const stage = new HeldStage();
    const walk = archive.readTables({}, stage);
    await vi.waitFor(() => expect(stage.pushed).toBeGreaterThanOrEqual(9), { timeout: 10_000 });
    // The walk now waits on the first outcome: nothing more is pushed, however long it waits.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stage.pushed).toBe(9);
    expect(await releaseUntilDone(stage, walk)).toBeUndefined();
    expect(stage.pushed).toBeGreaterThan(12);
    expect(stage.closed).toBe(1);
  });
});

describe('the stage', () => {
  it('is closed once, whether the walk succeeds or fails', async () => {
    const good = await OpenedArchive.open(toStream(await writeArchive(reindex(entries))));
    const stage = new HeldStage();
    expect(await releaseUntilDone(stage, good.readTables({}, stage))).toBeUndefined();
    expect(stage.closed).toBe(1);

    const cut = reindex(entries).filter((e) => e.name !== 'index.json');
    const bad = await OpenedArchive.open(toStream(await writeArchive(cut)));
    const failing = new HeldStage();
    expect(await releaseUntilDone(failing, bad.readTables({}, failing))).toBeInstanceOf(BackupError);
    expect(failing.closed).toBe(1);
  });

  it('failing after row problems, its failure ends the walk unchanged, not merged into the problems', async () => {
    const archive = await OpenedArchive.open(toStream(await writeArchive(reindex(entries))));
    const died = new Error('the line worker stopped');
    const problem = { message: 'bad row', table: 'businesses', line: 1, column: null };
    const stage = new HeldStage((batch, n) =>
      n === 1 ? outcome(newlines(batch), { issues: [problem] }) : died,
    );
    expect(await releaseUntilDone(stage, archive.readTables({}, stage))).toBe(died);
  });
});

describe('rows handed to the sink', () => {
  function counting(): RowSink & { batches: number[] } {
    const batches: number[] = [];
    return { batches, rows: (_table, batch) => void batches.push(batch.rows) };
  }

  it('only batches that hold rows, and a sink without `rows` takes none', async () => {
    const bytes = await writeArchive(reindex(entries));
    const sink = counting();
    const stage = new HeldStage((b, n) => outcome(newlines(b), { rows: n % 2 === 0 ? newlines(b) : 0 }));
    await releaseUntilDone(stage, (await OpenedArchive.open(toStream(bytes))).readTables(sink, stage));
    expect(sink.batches.length).toBe(Math.floor(stage.pushed / 2));
    expect(sink.batches.every((rows) => rows > 0)).toBe(true);

    const rowsEverywhere = new HeldStage((b) => outcome(newlines(b), { rows: newlines(b) }));
    const archive = await OpenedArchive.open(toStream(bytes));
    expect(
      await releaseUntilDone(rowsEverywhere, archive.readTables({ startTable() {} }, rowsEverywhere)),
    ).toBeUndefined();
  });

  it('none read before the reading failed: the batches still out are counted, not loaded', async () => {
    // The first table's rows are out when the archive ends without its index.
    const first = reindex(entries).slice(0, 2);
    const archive = await OpenedArchive.open(toStream(await writeArchive(first)));
    const encode = {
      tenantId: '0193a000-0000-7000-8000-0000000000aa',
      pauseRecurring: false,
      selfReferencesInline: true,
    };
    const stage = new LocalLineStage(new LineWork(archive.plan, tenantTableRules(), encode));
    const sink = counting();
    const failure = await failureOf(archive.readTables(sink, stage));
    expect((failure as BackupError).message).toBe('the archive ends without index.json: it is incomplete');
    expect(sink.batches).toEqual([]);
  });
});

describe('which failure wins', () => {
  it('the size limit over the row problems found before it', async () => {
    // Rows of a late table make the archive larger than one piece of gunzip output, so the limit
    // trips while that table is read, after the bad row of items was reported.
    const last = entries.at(-2)!;
    const colour = replaceBody(entries, 'items.ndjson', (b) => b.replace(/}\n$/, ',"colour":"red"}\n'));
    const grown = replaceBody(colour, last.name, (b) => b.repeat(Math.ceil(2_000_000 / b.length)));
    const bytes = await writeArchive(reindex(grown));
    const tarBytes = gunzipSync(bytes).length;
    const archive = await OpenedArchive.open(toStream(bytes), { maxArchiveBytes: tarBytes - 1_000_000 });
    const failure = await failureOf(archive.readTables({}));
    expect(failure).toBeInstanceOf(BackupError);
    expect((failure as BackupError).code).toBe('ARCHIVE_TOO_LARGE');
  });

  it('the 100th row problem stops the reading: no later table is read', async () => {
    const badRows = Array.from({ length: 100 }, () => '{"id":"not-a-uuid"}\n').join('');
    const bad = reindex(replaceBody(entries, 'expense_categories.ndjson', () => badRows));
    const archive = await OpenedArchive.open(toStream(await writeArchive(bad)));
    const tablesRead: string[] = [];
    const local = new LocalLineStage(new LineWork(archive.plan, tenantTableRules(), null));
    const stage: LineStage = {
      startTable: (index) => {
        tablesRead.push(archive.plan.sourceTables[index]!.name);
        local.startTable(index);
      },
      push: (batch) => local.push(batch),
      close: () => local.close(),
    };
    const failure = (await failureOf(archive.readTables({}, stage))) as BackupError;
    expect(failure.errors).toHaveLength(100);
    expect(failure.message).toContain('(reading stopped there)');
    expect(tablesRead.at(-1)).toBe('expense_categories');
  });

  it('a problem of the archive itself, found first, is the error and its message', async () => {
    const specs = reindex(entries);
    const last = specs.at(-2)!;
    const error = await walkError(await writeArchive(specs.filter((e) => e !== last)));
    expect(error.message).toBe(`entry "${last.name}" is missing`);
  });
});

describe('chunks and metadata', () => {
  /** The fixture with `table`'s lines dealt over three chunk entries. */
  function inThree(table: string): EntrySpec[] {
    return reindex(
      entries.flatMap((e) => {
        if (e.name !== `${table}.ndjson`) return [e];
        const lines = e.body.toString().split(/(?<=\n)/);
        const names = [`${table}.ndjson`, `${table}.2.ndjson`, `${table}.3.ndjson`];
        return names.map((name, i) => ({
          ...e,
          name,
          body: Buffer.from(lines.filter((_, n) => n % 3 === i).join('')),
        }));
      }),
    );
  }

  it('a table in three chunks reads as one; a chunk skipped is named', async () => {
    const three = inThree('invoices');
    const archive = await OpenedArchive.open(toStream(await writeArchive(three)));
    expect((await archive.readTables({})).tables.invoices!.rows).toBe(8);

    const skipped = await walkError(await writeArchive(three.filter((e) => e.name !== 'invoices.2.ndjson')));
    expect(skipped.errors[0]!.message).toMatch(
      /^entry "invoices\.3\.ndjson" is out of order or a chunk is missing: expected "invoices\.2\.ndjson" or /,
    );
  });

  it('an altered manifest.json beside the original index.json is refused', async () => {
    const original = reindex(entries);
    const manifest = original[0]!.body.toString();
    const digit = manifest.match(/"exportedAt": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d(\d)/)!;
    const altered = manifest.replace(digit[0], digit[0].slice(0, -1) + ((Number(digit[1]) + 1) % 10));
    expect(altered.length).toBe(manifest.length);
    const error = await walkError(
      await writeArchive([{ name: 'manifest.json', body: altered }, ...original.slice(1)]),
    );
    expect(error.errors).toEqual([
      expect.objectContaining({
        message: 'manifest.json does not match its size or SHA-256 in index.json',
        table: 'index.json',
      }),
    ]);
  });

  it('a manifest of exactly the size limit is read; a null one is refused as malformed', async () => {
    const text = entries[0]!.body.toString();
    const padded = text + ' '.repeat(MAX_METADATA_BYTES - Buffer.byteLength(text));
    const specs = reindex([{ ...entries[0]!, body: Buffer.from(padded) }, ...entries.slice(1)]);
    const archive = await OpenedArchive.open(toStream(await writeArchive(specs)));
    expect(archive.manifest.formatVersion).toBe(1);

    const nothing = await walkError(
      await writeArchive([{ name: 'manifest.json', body: 'null' }, ...specs.slice(1)]),
    );
    expect(nothing.code).toBe('INVALID_ARCHIVE');
    expect(nothing.errors[0]!.message).toMatch(/^manifest\.json: \(root\): /);
  });

  it('a newer format is named as such even when the rest of its manifest is unknown here', async () => {
    const newer = JSON.stringify({ format: 'hisaabo-export', formatVersion: 2, sections: ['books'] });
    const error = await walkError(
      await writeArchive([{ name: 'manifest.json', body: newer }, ...reindex(entries).slice(1)]),
    );
    expect(error.code).toBe('INCOMPATIBLE_VERSION');
  });

  it('a malformed nested field is named by its path', async () => {
    const manifest = JSON.parse(entries[0]!.body.toString());
    manifest.tables[1].name = 5;
    const error = await walkError(
      await writeArchive([
        { name: 'manifest.json', body: JSON.stringify(manifest) },
        ...reindex(entries).slice(1),
      ]),
    );
    expect(error.errors[0]).toMatchObject({ column: 'tables.1.name' });
    expect(error.errors[0]!.message).toMatch(/^manifest\.json: tables\.1\.name: /);
  });

  it('abandoning an opened archive releases its input', async () => {
    const input = new PassThrough();
    const bytes = await writeArchive(reindex(entries));
    input.write(bytes.subarray(0, 4096));
    const archive = await OpenedArchive.open(input);
    archive.abandon();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(input.destroyed).toBe(true);
  });
});

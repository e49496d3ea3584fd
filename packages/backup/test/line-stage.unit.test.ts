import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OpenedArchive } from '../src/archive-walker.ts';
import type { ReadPlan } from '../src/compatibility.ts';
import { LocalLineStage, RestoreLineStage } from '../src/line-stage.ts';
import { type BatchOutcome, LineWork } from '../src/line-work.ts';
import { tenantTableRules } from '../src/row-validator.ts';
import { type TarEntry, toStream, writeArchive } from './support/archive.ts';
import { reindex } from './support/reindex.ts';
import { richFixtureEntries } from './support/walk.ts';
import { expectNoWorkerLeft, threads } from './support/worker-threads.ts';

// The restore's line stage without a database: lines read by the worker thread give what they give
// on the reading thread, across the handover between the two, for batches of any size; closing
// ends the worker, even one still starting.

vi.mock('../src/worker-script.ts', async (original) =>
  (await import('./support/worker-threads.ts')).recordingWorkers(original),
);

const ENCODE = {
  tenantId: '0193a000-0000-7000-8000-0000000000aa',
  pauseRecurring: true,
  selfReferencesInline: false,
};

let plan: ReadPlan;
let entries: TarEntry[];
beforeAll(async () => {
  entries = await richFixtureEntries();
  plan = (await OpenedArchive.open(toStream(await writeArchive(reindex(entries))))).plan;
});
afterEach(async () => {
  await expectNoWorkerLeft();
  threads.started.length = 0;
});

/** The lines of one fixture table, repeated `times` over, as one batch; a bad line where asked. */
function batchOf(table: string, times = 1, badLine = false): Buffer {
  const body = entries.find((e) => e.name === `${table}.ndjson`)!.body.toString();
  return Buffer.from(body.repeat(times) + (badLine ? '{"id":"not-a-uuid"}\n' : ''));
}

/** What the reading thread makes of the same batches of table `index`. */
function onThisThread(index: number, batches: Buffer[]): BatchOutcome[] {
  const stage = new LocalLineStage(new LineWork(plan, tenantTableRules(), ENCODE));
  stage.startTable(index);
  return batches.map((b) => stage.push(b));
}

/** An outcome with its COPY text as a string, so two outcomes compare by content. */
const readable = (o: BatchOutcome) => ({ ...o, copy: o.copy && Buffer.from(o.copy).toString() });

const tableIndex = (name: string) => plan.sourceTables.findIndex((t) => t.name === name);

describe('the restore line stage', () => {
  it('in a worker from the first line, gives what the reading thread gives, any batch size', async () => {
    const index = tableIndex('recurring_invoice_templates');
    // The third batch is larger than the buffers the first two leave for reuse.
    const batches = [batchOf('recurring_invoice_templates'), batchOf('recurring_invoice_templates', 2, true)];
    batches.push(batchOf('recurring_invoice_templates', Math.ceil((300 * 1024) / batches[0]!.length)));
    const stage = await RestoreLineStage.create(plan, ENCODE, 0);
    expect(threads.started).toHaveLength(1);
    stage.startTable(index);
    const outcomes: BatchOutcome[] = [];
    for (const batch of batches) outcomes.push(await stage.push(batch));
    await stage.close();
    const expected = onThisThread(index, batches);
    expect(outcomes.map(readable)).toEqual(expected.map(readable));
    expect(outcomes[0]!.paused).toBe(1);
    expect(outcomes[1]!.issues[0]!.line).toBe(4);
  });

  it('hands the work over between two batches, its line numbers and problems carried on', async () => {
    const index = tableIndex('parties');
    const stage = await RestoreLineStage.create(plan, ENCODE, 1);
    expect(threads.started).toHaveLength(0);
    stage.startTable(index);
    // Batches on the reading thread until the worker is ready (however long it takes to start),
    // then five more in the worker; every fifth batch ends with a bad line.
    const batches: Buffer[] = [];
    const outcomes: BatchOutcome[] = [];
    let local = 0;
    while (outcomes.length < local + 5) {
      const batch = batchOf('parties', 1, batches.length % 5 === 4);
      batches.push(batch);
      const outcome = stage.push(batch);
      if (!(outcome instanceof Promise)) local += 1;
      outcomes.push(await outcome);
      if (local === outcomes.length) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await stage.close();
    expect(threads.started).toHaveLength(1);
    expect(local).toBeGreaterThan(0);
    expect(local).toBeLessThan(batches.length);
    expect(outcomes.map(readable)).toEqual(onThisThread(index, batches).map(readable));
  });

  it('below its threshold starts no worker', async () => {
    const stage = await RestoreLineStage.create(plan, ENCODE, Number.POSITIVE_INFINITY);
    stage.startTable(tableIndex('parties'));
    const outcome = stage.push(batchOf('parties', 3));
    expect(outcome).not.toBeInstanceOf(Promise);
    await stage.close();
    expect(threads.started).toHaveLength(0);
  });

  it('once closed, refuses more lines; closing twice is harmless', async () => {
    const stage = await RestoreLineStage.create(plan, ENCODE, 0);
    stage.startTable(tableIndex('parties'));
    await stage.push(batchOf('parties'));
    await stage.close();
    await stage.close();
    await expect(stage.push(batchOf('parties'))).rejects.toThrow('the line worker was closed');
    expect(threads.started).toHaveLength(1);
  });

  it('a worker still starting when the stage closes, or started by a push after it, is ended', async () => {
    const starting = await RestoreLineStage.create(plan, ENCODE, 1);
    starting.startTable(tableIndex('parties'));
    starting.push(batchOf('parties'));
    expect(threads.started).toHaveLength(1);
    await starting.close();
    await expectNoWorkerLeft();

    const closed = await RestoreLineStage.create(plan, ENCODE, 1);
    closed.startTable(tableIndex('parties'));
    await closed.close();
    closed.push(batchOf('parties'));
    expect(threads.started).toHaveLength(2);
    await expectNoWorkerLeft();
  });

  it('starts the worker once its threshold is reached, not a byte later', async () => {
    const batch = batchOf('parties');
    const stage = await RestoreLineStage.create(plan, ENCODE, batch.length);
    stage.startTable(tableIndex('parties'));
    stage.push(batch);
    expect(threads.started).toHaveLength(1);
    await stage.close();
  });

  it('upgrades the rows of an older archive in the worker as on the reading thread', async () => {
    expect(plan.compatibility.upgrades.length).toBeGreaterThan(0);
    const index = tableIndex('invoices');
    const batch = batchOf('invoices');
    const stage = await RestoreLineStage.create(plan, ENCODE, 0);
    stage.startTable(index);
    const outcome = await stage.push(batch);
    await stage.close();
    expect(readable(outcome)).toEqual(readable(onThisThread(index, [batch])[0]!));
  });
});

describe('the restore line worker failing', () => {
  it('fails the stage at start when the worker cannot load, and a later push with the same error', async () => {
    // Schema version 0 has no upgrade path: the worker throws while it loads.
    const broken = { ...plan, compatibility: { ...plan.compatibility, sourceSchemaVersion: 0 } };
    await expect(RestoreLineStage.create(broken, ENCODE, 0)).rejects.toThrow('no upgrade path from schema 0');

    const later = await RestoreLineStage.create(broken, ENCODE, 1);
    later.startTable(tableIndex('parties'));
    // The worker's start failed once a push throws its error; until then the lines are read here.
    await vi.waitFor(
      () => expect(() => later.push(batchOf('parties'))).toThrow('no upgrade path from schema 0'),
      {
        timeout: 20_000,
        interval: 20,
      },
    );
    expect(threads.started).toHaveLength(2);
    await later.close();
  });

  it('rejects the batches out with the error the worker threw', async () => {
    const stage = await RestoreLineStage.create(plan, ENCODE, 0);
    // No table started: the worker throws on the first batch.
    const first = stage.push(batchOf('parties'));
    const second = stage.push(batchOf('parties'));
    await expect(first).rejects.toThrow('no table started');
    await expect(second).rejects.toThrow('no table started');
    await expect(stage.push(batchOf('parties'))).rejects.toThrow('no table started');
    await stage.close();
  });

  it('rejects the batches out when the worker stops without being closed', async () => {
    const stage = await RestoreLineStage.create(plan, ENCODE, 0);
    stage.startTable(tableIndex('parties'));
    await stage.push(batchOf('parties'));
    await threads.started[0]!.terminate();
    await expect(stage.push(batchOf('parties'))).rejects.toThrow(
      "the restore's line worker stopped (exit code 1)",
    );
    await stage.close();
  });
});

describe('the restore line worker batch memory', () => {
  it('hands each batch over in a 256 KiB block, and fills up to 8 returned blocks again', async () => {
    const stage = await RestoreLineStage.create(plan, ENCODE, 0);
    stage.startTable(tableIndex('parties'));
    const worker = threads.started[0]!;
    // Its garbage is a batch's rows: a young generation of 8 MB holds it (V8 would grow it far more).
    expect(worker.resourceLimits?.maxYoungGenerationSizeMb).toBe(8);
    const posted: { block: ArrayBuffer; size: number; handedOver: boolean }[] = [];
    const post = worker.postMessage.bind(worker);
    vi.spyOn(worker, 'postMessage').mockImplementation((message, transfer) => {
      const block = (message as { batch?: Uint8Array }).batch?.buffer as ArrayBuffer | undefined;
      const size = block?.byteLength ?? 0;
      post(message, transfer);
      if (block) posted.push({ block, size, handedOver: block.byteLength === 0 });
    });
    const returned = new Set<ArrayBuffer>();
    worker.on('message', (m: { kind: string; spent?: Uint8Array }) => {
      if (m.kind === 'outcome') returned.add(m.spent!.buffer as ArrayBuffer);
    });
    const round = (batches: Buffer[]) => Promise.all(batches.map((b) => stage.push(b)));
    const small = batchOf('parties');

    await round(Array.from({ length: 12 }, () => small));
    expect(posted.map((p) => p.size)).toEqual(Array(12).fill(256 * 1024));
    expect(posted.every((p) => p.handedOver)).toBe(true);
    expect(posted.some((p) => returned.has(p.block))).toBe(false);

    await round(Array.from({ length: 12 }, () => small));
    expect(posted.slice(12).map((p) => returned.has(p.block))).toEqual([
      ...Array(8).fill(true),
      ...Array(4).fill(false),
    ]);

    // A batch of exactly a block's size still fits in a returned block.
    const filler = 256 * 1024 - small.length * 40;
    const exact = Buffer.concat([Buffer.from(small.toString().repeat(40)), fillerLine(filler)]);
    expect(exact.length).toBe(256 * 1024);
    await stage.push(exact);
    expect(returned.has(posted.at(-1)!.block)).toBe(true);
    await stage.close();
  });
});

/** A line of exactly `bytes` bytes, newline included (a row problem, which is fine here). */
function fillerLine(bytes: number): Buffer {
  const line = Buffer.alloc(bytes, 'x');
  line[bytes - 1] = 0x0a;
  return line;
}

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

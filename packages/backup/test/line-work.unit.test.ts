import { describe, expect, it } from 'vitest';
import { type BatchOutcome, LineWork } from '../src/line-work.ts';
import { LineCutError, LineSplitter } from '../src/line-splitter.ts';
import { tenantTableRules } from '../src/row-validator.ts';
import type { TableDef } from '../src/table-defs.ts';
import { NO_ROW_UPGRADE } from '../src/upgrades/index.ts';

// The line work gives the same lines, problems and COPY text however a table's bytes are cut into
// batches, and when it moves to another thread part-way (state, then resume elsewhere).

const table: TableDef = {
  name: 'invoices_sample',
  columns: [
    { name: 'tenant_id', type: 'uuid', notNull: true },
    { name: 'id', type: 'uuid', notNull: true },
    { name: 'note', type: 'text', notNull: false },
    { name: 'total', type: 'numeric(15,2)', notNull: true },
  ],
};
// An archive of this code's schema: lines may take the fast path (line-transcoder.ts).
const plan = { sourceTables: [table], targetTables: [table], upgradeRow: NO_ROW_UPGRADE };
const encode = {
  tenantId: '0193a000-0000-7000-8000-00000000000f',
  pauseRecurring: false,
  selfReferencesInline: false,
};
const id = (n: number) => `0193a000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

const lines = [
  JSON.stringify({ id: id(1), note: 'Zoë\ttab', total: '1.00' }),
  JSON.stringify({ id: id(2), note: null, total: '2.50' }),
  '{"id":"nope","note":null,"total":"3.00"}',
  JSON.stringify({ id: id(4), note: 'chai ☕', total: 4 }),
  'not json',
  JSON.stringify({ id: id(6), note: 'ok', total: '6.00' }),
];
const text = Buffer.from(`${lines.join('\n')}\n`);

function merged(outcomes: BatchOutcome[]) {
  return {
    lines: outcomes.reduce((n, o) => n + o.lines, 0),
    issues: outcomes.flatMap((o) => o.issues),
    copy: Buffer.concat(outcomes.flatMap((o) => (o.copy ? [o.copy] : []))).toString(),
  };
}

function readInBatches(cuts: number[], moveAt: number | null = null): ReturnType<typeof merged> {
  let work = new LineWork(plan, tenantTableRules(), encode);
  work.startTable(0);
  const outcomes: BatchOutcome[] = [];
  const splitter = new LineSplitter(1024);
  let start = 0;
  for (const [i, end] of [...cuts, text.length].entries()) {
    if (i === moveAt) {
      const moved = new LineWork(plan, tenantTableRules(), encode);
      moved.resume(work.state());
      work = moved;
    }
    splitter.push(text.subarray(start, end), (batch) => outcomes.push(work.process(batch)));
    start = end;
  }
  splitter.endOfEntry('sample.ndjson');
  return merged(outcomes);
}

// Read inside each test, not when the file is collected: code run at collection is "static" to mutation
// testing, which then runs every test of the scope for each of its mutants (docs/testing.md).
describe('line work', () => {
  it('numbers lines across batches and stops sending rows after the first problem', () => {
    const whole = readInBatches([]);
    expect(whole.lines).toBe(6);
    expect(whole.issues.map((i) => [i.line, i.column])).toEqual([
      [3, 'id'],
      [4, 'total'],
      [5, null],
    ]);
    expect(whole.copy).toBe(
      `${encode.tenantId}\t${id(1)}\tZoë\\ttab\t1.00\n${encode.tenantId}\t${id(2)}\t\\N\t2.50\n`,
    );
  });

  it('gives the same outcome for every cut of the bytes, and when it moves thread part-way', () => {
    const whole = readInBatches([]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(readInBatches([cut]), `cut at ${cut}`).toEqual(whole);
      expect(readInBatches([cut], 1), `moved at ${cut}`).toEqual(whole);
    }
  });

  it('emits the lines before an overlong one, then refuses it', () => {
    const splitter = new LineSplitter(10);
    const batches: string[] = [];
    expect(() =>
      splitter.push(Buffer.from('short\nfar too long a line\nx\n'), (b) => batches.push(b.toString())),
    ).toThrow(LineCutError);
    expect(batches).toEqual(['short\n']);
  });
});

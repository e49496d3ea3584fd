import { describe, expect, it } from 'vitest';
import { type EncodeOptions, LineWork, MAX_ISSUES } from '../src/line-work.ts';
import type { Row } from '../src/row-checks.ts';
import type { TableRules } from '../src/row-validator.ts';
import type { TableDef } from '../src/table-defs.ts';
import { NO_ROW_UPGRADE } from '../src/upgrades/index.ts';

// What the line work does with each line of a table: the problems it names (and where), the rows it
// hands a verify, the COPY text and self-references it gives a restore, the templates it pauses.

const TENANT = '0193a000-0000-7000-8000-00000000000f';
/** The table whose rows a restore may pause (the registry's name, spelled out). */
const RECURRING_TABLE = 'recurring_invoice_templates';
const id = (n: number) => `0193a000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

const templates: TableDef = {
  name: RECURRING_TABLE,
  columns: [
    { name: 'tenant_id', type: 'uuid', notNull: true },
    { name: 'id', type: 'uuid', notNull: true },
    { name: 'parent_id', type: 'uuid', notNull: false },
    { name: 'status', type: 'text', notNull: true },
  ],
};
const notes: TableDef = { ...templates, name: 'notes' };
const rules: TableRules = { enumValues: [], selfReferences: { [RECURRING_TABLE]: ['parent_id'], notes: [] } };
const identity = { sourceTables: [templates, notes], targetTables: [templates, notes] };
// An archive of this code's schema, as a restore sees it: its lines may take the fast path
// (line-transcoder.ts), so every expectation here holds for both ways.
const plan = { ...identity, upgradeRow: NO_ROW_UPGRADE };
const options = (over: Partial<EncodeOptions> = {}): EncodeOptions => ({
  tenantId: TENANT,
  pauseRecurring: false,
  selfReferencesInline: false,
  ...over,
});

const line = (n: number, status = 'active', parent: string | null = null) =>
  JSON.stringify({ id: id(n), parent_id: parent, status });
const batch = (...lines: string[]) => Buffer.from(lines.map((l) => `${l}\n`).join(''));
const copyLines = (copy: Uint8Array | null) => (copy ? Buffer.from(copy).toString().split('\n') : null);

function restoreOf(table: number, text: Buffer, over: Partial<EncodeOptions> = {}) {
  const work = new LineWork(plan, rules, options(over));
  work.startTable(table);
  return work.process(text);
}

describe('line work for a restore', () => {
  it('pauses active recurring templates when asked, and counts them', () => {
    const text = batch(line(1), line(2, 'paused'), line(3));
    const paused = restoreOf(0, text, { pauseRecurring: true });
    expect(paused.paused).toBe(2);
    expect(paused.rows).toBe(3);
    expect(copyLines(paused.copy)).toEqual([
      `${TENANT}\t${id(1)}\t\\N\tpaused`,
      `${TENANT}\t${id(2)}\t\\N\tpaused`,
      `${TENANT}\t${id(3)}\t\\N\tpaused`,
      '',
    ]);
    const kept = restoreOf(0, text);
    expect(kept.paused).toBe(0);
    expect(copyLines(kept.copy)?.[0]).toBe(`${TENANT}\t${id(1)}\t\\N\tactive`);
  });

  it('pauses only the recurring templates table', () => {
    const other = restoreOf(1, batch(line(1)), { pauseRecurring: true });
    expect(other.paused).toBe(0);
    expect(copyLines(other.copy)?.[0]).toBe(`${TENANT}\t${id(1)}\t\\N\tactive`);
  });

  it('holds self-references back for a second pass, or writes them inline when asked', () => {
    const text = batch(line(1), line(2, 'active', id(1)));
    const held = restoreOf(0, text);
    expect(held.references).toEqual([[id(2), id(1)]]);
    expect(copyLines(held.copy)?.[1]).toBe(`${TENANT}\t${id(2)}\t\\N\tactive`);
    const inline = restoreOf(0, text, { selfReferencesInline: true });
    expect(inline.references).toEqual([]);
    expect(copyLines(inline.copy)?.[1]).toBe(`${TENANT}\t${id(2)}\t${id(1)}\tactive`);
  });

  it('holds nothing back for a table the rules name no self-reference for', () => {
    const work = new LineWork(plan, { enumValues: [], selfReferences: {} }, options());
    work.startTable(0);
    const outcome = work.process(batch(line(1), line(2, 'active', id(1))));
    expect(outcome.references).toEqual([]);
    expect(copyLines(outcome.copy)?.[1]).toBe(`${TENANT}\t${id(2)}\t${id(1)}\tactive`);
  });

  it('gives no COPY text for a batch without rows', () => {
    const outcome = restoreOf(0, batch('not json'));
    expect(outcome).toMatchObject({ lines: 1, rows: 0, copy: null });
  });

  it('names an invalid UTF-8 line and a line ending in \\r, in a batch of bytes or of text', () => {
    const good = line(1);
    const bad = Buffer.concat([batch(good), Buffer.from([0x7b, 0xff, 0x0a]), batch(`${good}\r`, good)]);
    const outcome = restoreOf(0, bad);
    expect(outcome.lines).toBe(4);
    expect(outcome.issues.map((i) => [i.table, i.line, i.message])).toEqual([
      [RECURRING_TABLE, 2, 'the line is not valid UTF-8'],
      [RECURRING_TABLE, 3, 'the line ends in \\r: lines end with \\n alone'],
    ]);
    // Rows after the first problem are read and checked, never encoded.
    expect(outcome.rows).toBe(1);
    const text = restoreOf(0, batch(good, `${good}\r`, '\r', good));
    expect(text.issues.map((i) => i.line)).toEqual([2, 3]);
    expect(text.rows).toBe(1);
  });

  it('names a line that is not JSON with the parser message', () => {
    const [problem] = restoreOf(0, batch('{"id":')).issues;
    expect(problem).toMatchObject({ table: RECURRING_TABLE, line: 1, column: null });
    expect(problem?.message).toMatch(/^the line is not valid JSON \(.+\)$/);
  });

  it(`stops reading at ${MAX_ISSUES} problems, in the middle of a batch`, () => {
    const lines = Array.from({ length: MAX_ISSUES + 20 }, () => 'x');
    const work = new LineWork(plan, rules, options());
    work.startTable(0);
    const outcome = work.process(batch(...lines));
    expect(outcome.issues).toHaveLength(MAX_ISSUES);
    expect(outcome.lines).toBe(MAX_ISSUES);
    expect(work.state()).toEqual({ table: 0, line: MAX_ISSUES, problems: MAX_ISSUES });
    expect(work.process(batch('x')).lines).toBe(0);
    // The same on the byte path (a batch that is not UTF-8 as a whole).
    const bytes = new LineWork(plan, rules, options());
    bytes.startTable(0);
    const mixed = bytes.process(Buffer.concat([Buffer.from([0xff, 0x0a]), batch(...lines)]));
    expect(mixed.lines).toBe(MAX_ISSUES);
  });

  it('numbers lines from 1 in each table and keeps counting problems across tables', () => {
    const work = new LineWork(plan, rules, options());
    work.startTable(0);
    work.process(batch(line(1), 'x'));
    work.startTable(1);
    const outcome = work.process(batch('y'));
    expect(outcome.issues.map((i) => [i.table, i.line])).toEqual([['notes', 1]]);
    expect(work.state()).toEqual({ table: 1, line: 1, problems: 2 });
  });
});

describe('line work for a verify', () => {
  it('hands each valid row, upgraded, with its target table and line, and no COPY text', () => {
    const target: TableDef = {
      ...templates,
      columns: [...templates.columns, { name: 'irn', type: 'text', notNull: false }],
    };
    const seen: [string, Row, number][] = [];
    const upgraded = {
      sourceTables: [templates],
      targetTables: [target],
      upgradeRow: (table: string, row: Row) => ({ ...row, irn: table }),
    };
    const work = new LineWork(upgraded, rules, null, (table, row, at) => seen.push([table.name, row, at]));
    work.startTable(0);
    const outcome = work.process(batch(line(1), 'bad', line(3)));
    expect(outcome).toMatchObject({ lines: 3, rows: 0, copy: null, references: [] });
    expect(seen).toEqual([[RECURRING_TABLE, { ...JSON.parse(line(1)), irn: RECURRING_TABLE }, 1]]);
  });
});

describe('line work that only counts', () => {
  it('checks and counts lines when nobody takes the rows', () => {
    const work = new LineWork(plan, rules, null);
    work.startTable(0);
    expect(work.process(batch(line(1), line(2)))).toMatchObject({
      lines: 2,
      rows: 0,
      issues: [],
      copy: null,
    });
  });
});

describe('line work misuse', () => {
  it('refuses a table the archive does not have, or lines before any table', () => {
    const work = new LineWork(plan, rules, options());
    expect(() => work.process(batch(line(1)))).toThrow('no table started');
    expect(() => work.startTable(2)).toThrow('no table 2 in the archive');
    const renamed = new LineWork({ ...plan, targetTables: [notes] }, rules, options());
    expect(() => renamed.startTable(0)).toThrow('no table 0 in the archive');
  });

  it('resumes where another thread was, or starts fresh before any table', () => {
    const work = new LineWork(plan, rules, options());
    work.resume({ table: 1, line: 7, problems: 1 });
    expect(work.process(batch('x')).issues.map((i) => [i.table, i.line])).toEqual([['notes', 8]]);
    const fresh = new LineWork(plan, rules, options());
    fresh.resume({ table: -1, line: 0, problems: 0 });
    expect(fresh.state()).toEqual({ table: -1, line: 0, problems: 0 });
    expect(() => fresh.process(batch('x'))).toThrow('no table started');
  });
});

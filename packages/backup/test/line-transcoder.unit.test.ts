import { escapeCopyText } from '@hisaabo/db/values';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { LineTranscoder } from '../src/line-transcoder.ts';
import { LineWork } from '../src/line-work.ts';
import { type Row, rowChecker } from '../src/row-checks.ts';
import { RowEncoder } from '../src/row-encoder.ts';
import type { TableDef } from '../src/table-defs.ts';
import { NO_ROW_UPGRADE } from '../src/upgrades/index.ts';

// The restore's fast path must never disagree with the long way (JSON.parse, the row predicates, the
// encoder): a line it takes gives exactly the COPY text and references the long way gives, and a line
// the long way refuses is never taken. And it must really be taken for the lines the exporter writes,
// or the restore gains nothing.

const TENANT = '0193a000-0000-7000-8000-00000000000f';
const table: TableDef = {
  name: 'sample',
  columns: [
    { name: 'tenant_id', type: 'uuid', notNull: true },
    { name: 'id', type: 'uuid', notNull: true },
    { name: 'parent_id', type: 'uuid', notNull: false },
    { name: 'status', type: 'text', notNull: true },
    { name: 'note', type: 'text', notNull: false },
    { name: 'total', type: 'numeric(15,2)', notNull: true },
    { name: 'big', type: 'bigint', notNull: false },
    { name: 'day', type: 'date', notNull: false },
    { name: 'at', type: 'timestamp(6) with time zone', notNull: true },
    { name: 'flag', type: 'boolean', notNull: false },
    { name: 'small', type: 'smallint', notNull: false },
    { name: 'count', type: 'integer', notNull: true },
    { name: 'details', type: 'jsonb', notNull: false },
    { name: 'meta', type: 'json', notNull: true },
    { name: 'logo', type: 'bytea', notNull: false },
    { name: 'created_at', type: 'timestamp(6) with time zone', notNull: true },
  ],
};
const enumValues = new Map([['sample.status', ['draft', 'final']]]);
const rules = { enumValues: [...enumValues], selfReferences: { sample: ['parent_id'] } };

const hex = (n: number) => n.toString(16).padStart(12, '0');
const uuid = fc.nat().map((n) => `0193a000-0000-7000-8000-${hex(n)}`);
const plainText = fc.string({
  unit: fc.constantFrom('a', 'Z', ' ', 'é', '☕', '🎉', ',', ':', '{', '}', "'"),
});
const anyText = fc.oneof(
  plainText,
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('\t', '\\', '"', '\n', '\r'),
);
const decimal = fc
  .bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n })
  .map(
    (n) =>
      `${n < 0n ? '-' : ''}${(n < 0n ? -n : n) / 100n}.${((n < 0n ? -n : n) % 100n).toString().padStart(2, '0')}`,
  );
/** Mostly valid, now and then not (a 13th month, a 31st of a short month, hour 24). */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 19 }, { arbitrary: invalid, weight: 1 });
const day = fc
  .record({
    y: fc.integer({ min: 1, max: 9999 }),
    m: mostly(fc.integer({ min: 1, max: 12 }), fc.constant(13)),
    d: mostly(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 29, max: 31 })),
  })
  .map(
    ({ y, m, d }) =>
      `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  );
const instant = fc
  .record({
    day,
    h: mostly(fc.integer({ min: 0, max: 23 }), fc.constant(24)),
    us: fc.integer({ min: 0, max: 999_999 }),
  })
  .map(({ day, h, us }) => `${day}T${String(h).padStart(2, '0')}:30:59.${String(us).padStart(6, '0')}Z`);
const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);

/** Rows as the exporter writes them, and now and then a value it would not write. */
const row = fc.record({
  id: uuid,
  parent_id: fc.option(uuid),
  status: mostly(fc.constantFrom('draft', 'final'), fc.constantFrom('DRAFT', 'other')),
  note: fc.option(fc.oneof(plainText, anyText)),
  total: mostly<string | number>(decimal, fc.constantFrom('1.5', '01.00', 12)),
  big: fc.option(
    mostly(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), fc.constant('1e3')),
  ),
  day: fc.option(day),
  at: instant,
  flag: fc.option(fc.boolean()),
  small: fc.option(mostly(fc.integer({ min: -32768, max: 32767 }), fc.constantFrom(40000, 1.5))),
  count: mostly(fc.integer(), fc.constantFrom(2 ** 31, -0, 0)),
  details: fc.option(json),
  meta: json,
  logo: fc.option(fc.constant({ __type: 'bytes', base64: 'AQL/' }), { freq: 8 }),
  created_at: instant,
});

/** Ways a line can leave the exporter's exact shape while often staying valid JSON. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(' ', '\\', '"', ',', '0', '.5', 'e1', '\t'),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), text: fc.constant('') }),
  fc.record({ kind: fc.constant('duplicate key' as const), at: fc.nat(), text: fc.constant('') }),
);

function mutate(line: string, m: { kind: string; at: number; text: string }): string {
  const at = m.at % line.length;
  if (m.kind === 'insert') return line.slice(0, at) + m.text + line.slice(at);
  if (m.kind === 'delete') return line.slice(0, at) + line.slice(at + 1);
  return `${line.slice(0, -1)},"note":"again"}`;
}

const validator = rowChecker(table, enumValues);

/** The long way: what the restore did before the fast path, for one line. */
function longWay(line: string, encoder: RowEncoder): { copy: string; references: string[][] } | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (validator.check(value, 1).length > 0) return null;
  const references: string[][] = [[]];
  return { copy: encoder.encode(value as Row, references), references };
}

function fastWay(line: string, transcoder: LineTranscoder) {
  const references: string[][] = [[]];
  const text = `{"x":1}\n${line}\n`;
  const copy = transcoder.transcode(text, 8, references);
  return copy === null ? null : { copy, references };
}

const encoders = [new RowEncoder(table, TENANT, ['parent_id']), new RowEncoder(table, TENANT, [])];

describe('LineTranscoder', () => {
  it('gives the long way’s COPY text and references for every line it takes, and takes every exporter-shaped valid line', () => {
    let taken = 0;
    fc.assert(
      fc.property(row, fc.boolean(), (value, inline) => {
        const encoder = encoders[inline ? 1 : 0]!;
        const line = JSON.stringify(value);
        const expected = longWay(line, encoder);
        const got = fastWay(line, new LineTranscoder(table, enumValues, encoder));
        if (got !== null) {
          taken += 1;
          expect(got).toEqual(expected);
        } else if (expected !== null && !line.includes('\\') && value.logo === null) {
          // Valid, and written without escapes or a bytes object: the fast path must take it.
          expect.unreachable(`the fast path refused an exporter-shaped valid line: ${line}`);
        }
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it('never takes a line the long way refuses, however the exporter’s shape is broken', () => {
    const encoder = encoders[0]!;
    fc.assert(
      fc.property(row, mutation, (value, m) => {
        const line = mutate(JSON.stringify(value), m);
        const got = fastWay(line, new LineTranscoder(table, enumValues, encoder));
        if (got !== null) expect(got).toEqual(longWay(line, encoder));
      }),
      { numRuns: 3000 },
    );
  });

  const line = (fields: Record<string, unknown>) =>
    JSON.stringify({
      id: '0193a000-0000-7000-8000-000000000001',
      parent_id: null,
      status: 'draft',
      note: 'chai',
      total: '1.00',
      big: null,
      day: null,
      at: '2026-01-31T09:30:00.000000Z',
      flag: true,
      small: null,
      count: 3,
      details: null,
      meta: [1],
      logo: null,
      created_at: '2026-01-31T09:30:00.000000Z',
      ...fields,
    });

  it.each([
    ['a whitespace between keys', line({}).replace(',"status"', ', "status"')],
    ['an escaped character', line({ note: 'a\tb' })],
    ['an integer written with a fraction', line({ count: 3 }).replace('"count":3', '"count":3.0')],
    ['minus zero', line({}).replace('"count":3', '"count":-0')],
    ['a bytes object', line({ logo: { __type: 'bytes', base64: 'AQL/' } })],
    [
      'keys in another order',
      line({}).replace(
        '"id":"0193a000-0000-7000-8000-000000000001","parent_id":null',
        '"parent_id":null,"id":"0193a000-0000-7000-8000-000000000001"',
      ),
    ],
  ])('leaves %s to the long way, which reads it alike', (_what, text) => {
    const encoder = encoders[1]!;
    const expected = longWay(text, encoder);
    expect(fastWay(text, new LineTranscoder(table, enumValues, encoder))).toBeNull();
    expect(expected).not.toBeNull();
  });

  it('cuts a JSON value holding the following keys where JSON.parse does', () => {
    const details = { a: 1, logo: null, created_at: '2026-01-31T09:30:00.000000Z', b: [',"logo":null'] };
    const text = line({ details });
    const encoder = encoders[1]!;
    const got = fastWay(text, new LineTranscoder(table, enumValues, encoder));
    expect(got).not.toBeNull();
    expect(got).toEqual(longWay(text, encoder));
    expect(got!.copy.split('\t')[12]).toBe(escapeCopyText(JSON.stringify(details)));
  });

  it('is what a restore of an archive of this schema uses, and gives the same batches as the long way', () => {
    // Valid rows only: the fast path runs while the archive has no problem.
    const values = fc
      .sample(row, { numRuns: 600, seed: 7 })
      .filter((v) => longWay(JSON.stringify(v), encoders[0]!));
    const lines = values.map((v) => JSON.stringify(v));
    const batch = Buffer.from(`${lines.join('\n')}\n`);
    const run = (upgradeRow: typeof NO_ROW_UPGRADE) => {
      const work = new LineWork({ sourceTables: [table], targetTables: [table], upgradeRow }, rules, {
        tenantId: TENANT,
        pauseRecurring: false,
        selfReferencesInline: false,
      });
      work.startTable(0);
      const outcome = work.process(batch);
      return { ...outcome, copy: outcome.copy && Buffer.from(outcome.copy).toString() };
    };
    const transcode = vi.spyOn(LineTranscoder.prototype, 'transcode');
    try {
      const fast = run(NO_ROW_UPGRADE);
      const taken = transcode.mock.results.filter((r) => r.value !== null).length;
      // Every line without a bytes object or an escape outside its JSON value, and only those.
      const plain = values.filter(
        (v) => v.logo === null && !JSON.stringify({ ...v, details: 0, meta: 0 }).includes('\\'),
      );
      expect(plain.length).toBeGreaterThan(20);
      expect(plain.length).toBeLessThan(lines.length);
      expect(taken).toBe(plain.length);
      transcode.mockClear();
      // Another identity than NO_ROW_UPGRADE stands for an archive whose rows are upgraded.
      const slow = run((_table, r) => r);
      expect(transcode).not.toHaveBeenCalled();
      expect(fast.rows).toBe(lines.length);
      expect(fast).toEqual(slow);
    } finally {
      transcode.mockRestore();
    }
  });
});

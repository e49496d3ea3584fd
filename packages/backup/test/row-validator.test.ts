import { describe, expect, it } from 'vitest';
import { rowValidator } from '../src/row-validator.ts';

// Every value type the exporter writes, accepted exactly as written and refused otherwise, each
// refusal naming the column and what was expected.

const table = {
  name: 'sample',
  columns: [
    { name: 'tenant_id', type: 'uuid', notNull: true },
    { name: 'id', type: 'uuid', notNull: true },
    { name: 'title', type: 'text', notNull: true },
    { name: 'code', type: 'character varying(3)', notNull: false },
    { name: 'amount', type: 'numeric(6,2)', notNull: true },
    { name: 'ratio', type: 'numeric', notNull: false },
    { name: 'small', type: 'smallint', notNull: false },
    { name: 'count', type: 'integer', notNull: false },
    { name: 'big', type: 'bigint', notNull: false },
    { name: 'flag', type: 'boolean', notNull: false },
    { name: 'day', type: 'date', notNull: false },
    { name: 'at', type: 'timestamp with time zone', notNull: false },
    { name: 'extra', type: 'jsonb', notNull: true },
    { name: 'blob', type: 'bytea', notNull: false },
  ],
};

const good = {
  id: '0193a000-0000-7000-8000-000000000001',
  title: 'Zoë',
  code: 'ĀĀĀ',
  amount: '-9999.50',
  ratio: '0.333333333333',
  small: -32768,
  count: 2147483647,
  big: '-9223372036854775808',
  flag: false,
  day: '2024-02-29',
  at: '2026-01-31T23:59:59.999999Z',
  extra: { nested: [1, 'two', null] },
  blob: { __type: 'bytes', base64: 'aGk=' },
};

const validator = rowValidator(table);

function problems(change: Record<string, unknown>) {
  return validator.check({ ...good, ...change }, 7);
}

describe('row validator', () => {
  it('accepts every type as the exporter writes it, and nulls where the column allows them', () => {
    expect(validator.check(good, 1)).toEqual([]);
    const nulls = Object.fromEntries(table.columns.filter((c) => !c.notNull).map((c) => [c.name, null]));
    expect(problems(nulls)).toEqual([]);
    // Years before 100 and leap days are dates PostgreSQL writes too.
    expect(problems({ day: '0050-01-31', at: '2000-02-29T00:00:00.000000Z' })).toEqual([]);
    expect(problems({ extra: null, title: '' })).toMatchObject([{ column: 'extra' }]);
  });

  it.each([
    ['id', '0193A000-0000-7000-8000-000000000001', /lowercase uuid/],
    ['id', null, /not null/],
    ['id', '0193a000-0000-7000-8000-00000000000g', /lowercase uuid/],
    ['id', '0193a000-0000-7000-8000+000000000001', /lowercase uuid/],
    ['id', '0193a000-0000-7000-8000-0000000000011', /lowercase uuid/],
    ['title', 'a\u0000b', /without NUL/],
    ['title', 5, /string/],
    ['code', 'ĀĀĀĀ', /at most/],
    ['amount', '10000.00', /at most 4 integer digits/],
    ['amount', '1.5', /exactly 2 decimals/],
    ['amount', '100.005', /exactly 2 decimals/],
    ['amount', '-0.001', /exactly 2 decimals/],
    ['amount', 1.5, /decimal string/],
    ['amount', '01.50', /decimal string/],
    ['ratio', '1e5', /decimal string/],
    ['small', 32768, /whole number/],
    ['count', 1.5, /whole number/],
    ['count', '3', /whole number/],
    ['big', 12, /integer as a string|whole number as a string/],
    ['big', '99999999999999999999', /whole number as a string/],
    ['flag', 'true', /true or false/],
    ['day', '2023-02-29', /YYYY-MM-DD/],
    ['day', '2024-2-01', /YYYY-MM-DD/],
    ['day', '2023-13-01', /YYYY-MM-DD/],
    ['day', '1900-02-29', /YYYY-MM-DD/],
    ['day', '0000-01-01', /YYYY-MM-DD/],
    ['at', '2026-01-31T23:59:59.999Z', /6 fractional digits/],
    ['at', '2026-01-31T24:00:00.000000Z', /6 fractional digits/],
    ['at', '2026-01-31 10:00:00.000000Z', /6 fractional digits/],
    ['blob', { __type: 'bytes', base64: 'a=b' }, /standard base64/],
    ['blob', { __type: 'bytes', base64: 'aGk=', more: 1 }, /standard base64/],
    ['blob', 'aGk=', /standard base64/],
  ])('refuses %s = %j', (column, value, expected) => {
    const found = problems({ [column]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ table: 'sample', line: 7, column });
    expect(found[0]!.message).toMatch(/^invalid value /);
    expect(found[0]!.message).toMatch(expected);
  });

  it('refuses unknown and missing columns, and lines that are not objects', () => {
    const { title: _, ...missing } = good;
    expect(validator.check(missing, 2)).toMatchObject([{ column: 'title', message: 'missing column' }]);
    expect(problems({ tenant_id: good.id })).toMatchObject([
      { column: 'tenant_id', message: /unknown column/ },
    ]);
    for (const line of [null, [], 'x', 3]) {
      expect(validator.check(line, 3)).toMatchObject([{ message: 'the line is not a JSON object' }]);
    }
  });
});

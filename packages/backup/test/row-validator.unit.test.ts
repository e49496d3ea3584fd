import { TENANT_TABLES } from '@hisaabo/db';
import { describe, expect, it } from 'vitest';
import { type RowValidator, rowValidator, tenantEnumValues, tenantTableRules } from '../src/row-validator.ts';

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

// Built inside each test, neither at import nor in a hook: a validator that cannot be built then
// fails the tests, where a throw at import or in a hook leaves them uncollected or skipped (which
// mutation testing would count as a survivor).
const sample = (): RowValidator => rowValidator(table);

function problems(change: Record<string, unknown>) {
  return sample().check({ ...good, ...change }, 7);
}

describe('row validator', () => {
  it('accepts every type as the exporter writes it, and nulls where the column allows them', () => {
    expect(sample().check(good, 1)).toEqual([]);
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
    ['id', Array.from('0193a000-0000-7000-8000-000000000001'), /lowercase uuid/],
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
    expect(sample().check(missing, 2)).toMatchObject([{ column: 'title', message: 'missing column' }]);
    expect(problems({ tenant_id: good.id })).toMatchObject([
      { column: 'tenant_id', message: /unknown column/ },
    ]);
    for (const line of [null, [], 'x', 3]) {
      expect(sample().check(line, 3)).toMatchObject([{ message: 'the line is not a JSON object' }]);
    }
  });

  it('refuses a line that is not an object even where a row carries no column (tenant_id is never written)', () => {
    const bare = rowValidator({
      name: 'bare',
      columns: [{ name: 'tenant_id', type: 'uuid', notNull: true }],
    });
    expect(bare.check({}, 1)).toEqual([]);
    // A number, a boolean or an empty string has no keys, as many as a row of this table has
    // columns: only the object test refuses them.
    for (const line of [3, true, '', null, []]) {
      expect(bare.check(line, 2), JSON.stringify(line)).toMatchObject([
        { message: 'the line is not a JSON object' },
      ]);
    }
    expect(bare.check({ id: 1 }, 3)).toMatchObject([{ column: 'id', message: /unknown column/ }]);
  });

  it('answers every valid row with one shared, frozen empty list: nothing is made per valid row', () => {
    const validator = sample();
    const first = validator.check(good, 1);
    expect(first).toEqual([]);
    // Frozen, so that no caller can add to the answer every other valid row gets.
    expect(Object.isFrozen(first)).toBe(true);
    expect(validator.check({ ...good, title: 'other', flag: null }, 2)).toBe(first);
    expect(sample().check(good, 3)).toBe(first);
  });

  it("holds a recurring template's dates to 1900-01-01 … 9999-12-31, naming the range", () => {
    const templates = rowValidator({
      name: 'recurring_invoice_templates',
      columns: [
        { name: 'start_date', type: 'date', notNull: true },
        { name: 'end_date', type: 'date', notNull: false },
      ],
    });
    expect(templates.check({ start_date: '1900-01-01', end_date: '9999-12-31' }, 1)).toEqual([]);
    expect(templates.check({ start_date: '0001-01-01', end_date: null }, 3)).toMatchObject([
      { line: 3, column: 'start_date', message: expect.stringMatching(/from 1900-01-01 to 9999-12-31/) },
    ]);
    expect(templates.check({ start_date: '2026-01-01', end_date: '1899-12-31' }, 4)).toMatchObject([
      { column: 'end_date' },
    ]);
  });
});

describe('row validator, at the edges of each type', () => {
  const one = (type: string, notNull = false) =>
    rowValidator({
      name: 'edge',
      columns: [
        { name: 'tenant_id', type: 'uuid', notNull: true },
        { name: 'v', type, notNull },
      ],
    });
  const accepts = (type: string, value: unknown) => one(type).check({ v: value }, 1).length === 0;
  const expected = (type: string, notNull = false) =>
    one(type, notNull)
      .check({ v: undefined }, 1)[0]!
      .message.replace(/^invalid value undefined: expected /, '');

  it('says exactly what each type expects', () => {
    expect(expected('uuid', true)).toBe('a lowercase uuid string, not null');
    expect(expected('numeric(15,2)')).toBe(
      'a decimal string with at most 13 integer digits and exactly 2 decimals (numeric(15,2)), e.g. "118.00" or null',
    );
    expect(expected('numeric(4,0)')).toBe(
      'a decimal string with at most 4 integer digits and exactly 0 decimals (numeric(4,0)), e.g. "118" or null',
    );
    expect(expected('numeric')).toBe('a decimal string or null');
    expect(expected('smallint')).toBe('a whole number (smallint) or null');
    expect(expected('integer')).toBe('a whole number (integer) or null');
    expect(expected('bigint')).toBe('a whole number as a string (bigint) or null');
    expect(expected('date')).toBe('a date string YYYY-MM-DD or null');
    expect(expected('timestamp(3) with time zone')).toBe(
      'an ISO-8601 UTC instant with 6 fractional digits, e.g. "2026-01-31T09:30:00.000000Z" or null',
    );
    expect(expected('bytea')).toBe('{"__type":"bytes","base64":"…"} with standard base64 or null');
    expect(expected('boolean')).toBe('true or false or null');
    expect(expected('text')).toBe('a string without NUL characters or lone surrogates or null');
    expect(expected('character varying(12)')).toBe(
      'a string without NUL characters or lone surrogates of at most 12 characters or null',
    );
    expect(expected('jsonb')).toBe('a JSON value at most 64 levels deep, without lone surrogates or null');
    expect(expected('json', true)).toBe(
      'a JSON value at most 64 levels deep, without lone surrogates, not null',
    );
    expect(expected('numeric(12,10)')).toBe(
      'a decimal string with at most 2 integer digits and exactly 10 decimals (numeric(12,10)), e.g. "118.0000000000" or null',
    );
    expect(() => one('point')).toThrow('no validator for column type point');
    // Array types (format_type writes "…[]") have no validator: refused, never checked as scalars.
    for (const type of ['uuid[]', 'text[]', 'character varying(3)[]', 'timestamp with time zone[]']) {
      expect(() => one(type), type).toThrow(`no validator for column type ${type}`);
    }
  });

  it('names the allowed values of an enumerated column and accepts only those', () => {
    const parties = rowValidator({
      name: 'parties',
      columns: [
        { name: 'tenant_id', type: 'uuid', notNull: true },
        { name: 'type', type: 'text', notNull: true },
      ],
    });
    expect(parties.check({ type: 'customer' }, 1)).toEqual([]);
    const [problem] = parties.check({ type: 'friend' }, 4);
    expect(problem).toEqual({
      table: 'parties',
      line: 4,
      column: 'type',
      message: 'invalid value "friend": expected one of "customer", "supplier", "both", not null',
    });
    expect(parties.check({ type: 3 }, 1)).toHaveLength(1);
    expect(parties.check({ type: null }, 1)).toHaveLength(1);
  });

  it("checks a column by the database's type: the application's enumerations and date bounds hold only where the types agree", () => {
    const parties = rowValidator({
      name: 'parties',
      columns: [
        { name: 'tenant_id', type: 'uuid', notNull: true },
        { name: 'type', type: 'character varying(10)', notNull: true },
      ],
    });
    expect(parties.check({ type: 'friend' }, 1)).toEqual([]);
    expect(parties.check({ type: 'acquaintance' }, 1)).toMatchObject([
      { message: expect.stringMatching(/of at most 10 characters, not null$/) },
    ]);
    const templates = rowValidator({
      name: 'recurring_invoice_templates',
      columns: [
        { name: 'tenant_id', type: 'uuid', notNull: true },
        { name: 'start_date', type: 'text', notNull: true },
      ],
    });
    expect(templates.check({ start_date: 'soon' }, 1)).toEqual([]);
  });

  it('names a value nested too deep to print instead of failing on it', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const [problem] = one('jsonb').check({ v: deep }, 1);
    expect(problem!.message).toBe(
      'invalid value (a value nested too deep to print): expected a JSON value at most 64 levels deep, without lone surrogates or null',
    );
  });

  it('refuses a value JSON cannot hold (undefined) in every type, without throwing', () => {
    for (const type of [
      'uuid',
      'text',
      'character varying(3)',
      'numeric(6,2)',
      'numeric',
      'integer',
      'bigint',
    ]) {
      expect(one(type).check({ v: undefined }, 1), type).toHaveLength(1);
    }
    for (const type of ['boolean', 'date', 'timestamp with time zone', 'jsonb', 'json', 'bytea']) {
      expect(one(type).check({ v: undefined }, 1), type).toHaveLength(1);
    }
  });

  it('shortens a long invalid value in the message', () => {
    const long = 'x'.repeat(100);
    const [problem] = one('integer').check({ v: long }, 1);
    expect(problem!.message).toBe(
      `invalid value "${'x'.repeat(76)}...: expected a whole number (integer) or null`,
    );
    const [exact] = one('integer').check({ v: 'y'.repeat(78) }, 1);
    expect(exact!.message).toBe(
      `invalid value "${'y'.repeat(78)}": expected a whole number (integer) or null`,
    );
  });

  it('numerics: precision and scale exactly, and any decimal when unconstrained', () => {
    expect(accepts('numeric(4,0)', '1234')).toBe(true);
    expect(accepts('numeric(4,0)', '12345')).toBe(false);
    expect(accepts('numeric(4,0)', '12.0')).toBe(false);
    expect(accepts('numeric(2,2)', '0.25')).toBe(true);
    expect(accepts('numeric(2,2)', '1.25')).toBe(false);
    expect(accepts('numeric(5,2)', '999.99')).toBe(true);
    expect(accepts('numeric(5,2)', '-0.10')).toBe(true);
    expect(accepts('numeric(5,2)', '+1.00')).toBe(false);
    expect(accepts('numeric(5,2)', ' 1.00')).toBe(false);
    expect(accepts('numeric(5,2)', '1.00 ')).toBe(false);
    expect(accepts('numeric(15,2)', '1234567890123.45')).toBe(true);
    expect(accepts('numeric(15,2)', '1.5')).toBe(false);
    expect(accepts('numeric(12,10)', '-12.0123456789')).toBe(true);
    expect(accepts('numeric(12,10)', '0.1')).toBe(false);
    expect(accepts('numeric', '-12.5')).toBe(true);
    expect(accepts('numeric', '12')).toBe(true);
    expect(accepts('numeric', '12.')).toBe(false);
    expect(accepts('numeric', 'x12')).toBe(false);
    expect(accepts('numeric', '12x')).toBe(false);
    expect(accepts('numeric', 12)).toBe(false);
  });

  it('whole numbers and bigints at their limits', () => {
    expect(accepts('smallint', 32767)).toBe(true);
    expect(accepts('smallint', -32769)).toBe(false);
    expect(accepts('integer', -2147483648)).toBe(true);
    expect(accepts('integer', 2147483648)).toBe(false);
    expect(accepts('integer', -2147483649)).toBe(false);
    expect(accepts('bigint', '9223372036854775807')).toBe(true);
    expect(accepts('bigint', '0')).toBe(true);
    expect(accepts('bigint', '-0012')).toBe(false);
    expect(accepts('bigint', '12 ')).toBe(false);
    expect(accepts('bigint', ' 12')).toBe(false);
  });

  it('dates and instants: calendar, clock and shape', () => {
    for (const good of ['2000-02-29', '2024-12-31', '0001-01-01', '2023-04-30']) {
      expect(accepts('date', good), good).toBe(true);
    }
    for (const bad of [
      '2023-04-31',
      '2023-00-10',
      '2023-01-00',
      '2023-01-32',
      '2100-02-29',
      ' 2023-01-01',
      '2023-01-01 ',
      // Starts as a valid date and ends as one: only the anchored pattern refuses it.
      '2023-01-01 2023-01-01',
    ]) {
      expect(accepts('date', bad), bad).toBe(false);
    }
    expect(accepts('date', 20230101)).toBe(false);
    const at = 'timestamp with time zone';
    expect(accepts(at, '2026-01-31T23:59:59.000000Z')).toBe(true);
    expect(accepts('timestamp(3) with time zone', '2026-01-31T00:00:00.000000Z')).toBe(true);
    for (const bad of [
      '2026-01-31T23:60:00.000000Z',
      '2026-01-31T23:59:60.000000Z',
      '2026-02-30T10:00:00.000000Z',
      'x2026-01-31T10:00:00.000000Z',
      '2026-01-31T10:00:00.000000Zx',
      '2026-01-31T10:00:00.000000+00:00',
      '2026-01-31T10:00:00.000000Z 2026-01-31T10:00:00.000000Z',
    ]) {
      expect(accepts(at, bad), bad).toBe(false);
    }
    expect(accepts(at, 0)).toBe(false);
    expect(() => one('timestamp without time zone')).toThrow('no validator');
  });

  it('text lengths in characters, booleans, JSON and bytes', () => {
    expect(accepts('character varying(2)', '😀😀')).toBe(true);
    expect(accepts('character varying(2)', '😀😀😀')).toBe(false);
    expect(accepts('character varying(2)', 'abc')).toBe(false);
    expect(accepts('character varying(2)', 12)).toBe(false);
    expect(accepts('character varying(2)', 'a\u0000')).toBe(false);
    expect(accepts('boolean', true)).toBe(true);
    expect(accepts('boolean', 0)).toBe(false);
    expect(accepts('jsonb', false)).toBe(true);
    expect(accepts('json', [1])).toBe(true);
    expect(one('jsonb', true).check({ v: null }, 1)).toHaveLength(1);
    expect(one('jsonb', true).check({ v: 0 }, 1)).toEqual([]);
    expect(accepts('jsonb', { note: 'a\ud800' })).toBe(false);
    expect(accepts('json', ['\udc00'])).toBe(false);
    for (const base64 of ['', 'aGk=', 'aGVsbG8=', 'YQ==', 'YWJj']) {
      expect(accepts('bytea', { __type: 'bytes', base64 }), base64).toBe(true);
    }
    for (const bad of [
      { __type: 'bytes', base64: 'YQ=' },
      { __type: 'bytes', base64: 'Y===' },
      { __type: 'bytes', base64: 'aGk=aGk=' },
      { __type: 'bytes', base64: 'a-_b' },
      { __type: 'bytes', base64: 5 },
      { __type: 'bytes', base64: 1234 },
      { __type: 'bytes', base64: ['aGk='] },
      { __type: 'bytes', base64: 'YWJ' },
      { __type: 'blob', base64: 'aGk=' },
      { base64: 'aGk=', other: 1 },
      ['bytes', 'aGk='],
      null,
    ]) {
      expect(one('bytea', true).check({ v: bad }, 1), JSON.stringify(bad)).toHaveLength(1);
    }
  });

  it('reports every problem of a row, each with its column', () => {
    const found = sample().check({ ...good, amount: 'x', flag: 'y', colour: 'red' }, 9);
    expect(found.map((p) => p.column)).toEqual(['colour', 'amount', 'flag']);
    expect(found[0]!.message).toBe('unknown column "colour": sample has no such column');
    expect(found.every((p) => p.table === 'sample' && p.line === 9)).toBe(true);
  });
});

describe("the schema's rules", () => {
  it('gathers the allowed values of the enumerated columns, and of no other column', () => {
    const enums = tenantEnumValues();
    expect(enums.get('parties.type')).toEqual(['customer', 'supplier', 'both']);
    // A text column without an enumeration has no entry, rather than one without values.
    expect(enums.has('businesses.name')).toBe(false);
    for (const [column, values] of enums) {
      expect(values.length, column).toBeGreaterThan(0);
      expect(
        values.every((v) => typeof v === 'string'),
        column,
      ).toBe(true);
    }
  });

  it("hands the line work the enumerations and each table's self-references as plain data", () => {
    const rules = tenantTableRules();
    // Plain data: it crosses to a worker thread unchanged.
    expect(structuredClone(rules)).toEqual(rules);
    expect(new Map(rules.enumValues)).toEqual(tenantEnumValues());
    expect(Object.keys(rules.selfReferences)).toEqual(TENANT_TABLES.map((t) => t.name));
    expect(rules.selfReferences.invoices).toEqual(['reference_invoice_id']);
    expect(rules.selfReferences.bank_transactions).toEqual(['transfer_pair_id']);
    expect(rules.selfReferences.parties).toEqual([]);
  });
});

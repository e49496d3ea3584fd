import { copyField } from '@hisaabo/db/values';
import { describe, expect, it } from 'vitest';
import { RowEncoder } from '../src/row-encoder.ts';
import type { TableDef } from '../src/table-defs.ts';

// A restore loads rows with COPY: each validated archive value must become the field PostgreSQL reads
// back as that very value, tab-separated, tenant first, self-references held back for a second pass.

const TENANT = '0193a000-0000-7000-8000-00000000000f';
const ID = '0193a000-0000-7000-8000-000000000001';
const PARENT = '0193a000-0000-7000-8000-000000000002';

const table: TableDef = {
  name: 'sample',
  columns: [
    { name: 'tenant_id', type: 'uuid', notNull: true },
    { name: 'id', type: 'uuid', notNull: true },
    { name: 'parent_id', type: 'uuid', notNull: false },
    { name: 'data', type: 'jsonb', notNull: false },
    { name: 'meta', type: 'json', notNull: false },
    { name: 'raw', type: 'bytea', notNull: false },
    { name: 'day', type: 'date', notNull: false },
    { name: 'big', type: 'bigint', notNull: false },
    { name: 'price', type: 'numeric(15,2)', notNull: false },
    { name: 'at', type: 'timestamp(3) with time zone', notNull: false },
    { name: 'at_plain', type: 'timestamp with time zone', notNull: false },
    { name: 'flag', type: 'boolean', notNull: false },
    { name: 'small', type: 'smallint', notNull: false },
    { name: 'count', type: 'integer', notNull: false },
    { name: 'note', type: 'text', notNull: false },
  ],
};

const full = () => ({
  id: ID,
  parent_id: PARENT,
  data: 'a\tb\\c',
  meta: { k: [1, 'x\ny'] },
  raw: { __type: 'bytes', base64: 'AQL/' },
  day: '2024-02-29',
  big: '-9007199254740993',
  price: '-12.50',
  at: '2024-01-31T23:59:59.123456Z',
  at_plain: '2024-01-31T00:00:00.000000Z',
  flag: true,
  small: -3,
  count: 42,
  note: 'Zoë\t\\n\r\n',
});

const fields = (line: string) => line.slice(0, -1).split('\t');

describe('RowEncoder', () => {
  it('writes the tenant, then every archive column in order, each as COPY text', () => {
    const line = new RowEncoder(table, TENANT, []).encode(full(), []);
    expect(line.endsWith('\n')).toBe(true);
    expect(fields(line)).toEqual([
      TENANT,
      ID,
      PARENT,
      // JSON text always, a JSON string included, with COPY's backslashes doubled
      '"a\\\\tb\\\\\\\\c"',
      '{"k":[1,"x\\\\ny"]}',
      '\\\\x0102ff',
      '2024-02-29',
      '-9007199254740993',
      '-12.50',
      '2024-01-31T23:59:59.123456Z',
      '2024-01-31T00:00:00.000000Z',
      't',
      '-3',
      '42',
      'Zoë\\t\\\\n\\r\\n',
    ]);
  });

  it('writes null as \\N for every type, and false as f', () => {
    const row: Record<string, unknown> = { id: ID };
    for (const column of table.columns.slice(2)) row[column.name] = null;
    row.flag = false;
    expect(fields(new RowEncoder(table, TENANT, []).encode(row, []))).toEqual([
      TENANT,
      ID,
      ...table.columns.slice(2).map((c) => (c.name === 'flag' ? 'f' : '\\N')),
    ]);
  });

  it('writes a null boolean as \\N, not as false', () => {
    const line = new RowEncoder(table, TENANT, []).encode({ ...full(), flag: null }, []);
    expect(fields(line)[11]).toBe('\\N');
  });

  it('keeps a JSON boolean, number and null-looking string as JSON, never bare', () => {
    const encoder = new RowEncoder(table, TENANT, []);
    const encoded = (data: unknown) => fields(encoder.encode({ ...full(), data }, []))[3];
    expect(encoded(true)).toBe('true');
    expect(encoded(1.5)).toBe('1.5');
    expect(encoded('\\N')).toBe('"\\\\\\\\N"');
    // json as well as jsonb
    const meta = (value: unknown) => fields(encoder.encode({ ...full(), meta: value }, []))[4];
    expect(meta('a\tb')).toBe('"a\\\\tb"');
    expect(meta(false)).toBe('false');
  });

  it('holds self-references back: null in the line, (id, target) pairs per column', () => {
    const encoder = new RowEncoder(table, TENANT, ['parent_id', 'note']);
    expect(encoder.selfReferences).toEqual(['parent_id', 'note']);
    const references: string[][] = [[], []];
    const row = full();
    const line = encoder.encode(row, references);
    expect(fields(line)[2]).toBe('\\N');
    expect(fields(line)[14]).toBe('\\N');
    expect(references).toEqual([
      [ID, PARENT],
      [ID, 'Zoë\t\\n\r\n'],
    ]);
  });

  it('leaves a null self-reference alone and records nothing for it', () => {
    const encoder = new RowEncoder(table, TENANT, ['parent_id']);
    const references: string[][] = [[]];
    const line = encoder.encode({ ...full(), parent_id: null }, references);
    expect(fields(line)[2]).toBe('\\N');
    expect(references).toEqual([[]]);
  });

  // The validator has proven the shape of these values before they reach the encoder, so the
  // encoder writes them as they are instead of escaping them (it is the restore's hottest loop).
  // A value no validator would pass shows which path a type takes.
  it('writes values of types that cannot hold a tab, newline or backslash as they are, unescaped', () => {
    const encoder = new RowEncoder(table, TENANT, []);
    const usual = fields(encoder.encode(full(), []));
    const raw = 'x\ty';
    const row = { ...full(), parent_id: raw, day: raw, big: raw, price: raw, at: raw, at_plain: raw };
    const line = encoder.encode({ ...row, small: raw, count: raw, flag: 'no' }, []);
    expect(line).toBe(
      `${[...usual.slice(0, 2), raw, ...usual.slice(3, 6), raw, raw, raw, raw, raw, 't', raw, raw, usual[14]].join('\t')}\n`,
    );
  });

  it('writes every other type the general way, arrays of those types included', () => {
    const arrays: TableDef = {
      name: 'arrays',
      columns: [
        { name: 'tenant_id', type: 'uuid', notNull: true },
        { name: 'id', type: 'uuid', notNull: true },
        { name: 'ats', type: 'timestamp(3) with time zone[]', notNull: false },
        { name: 'tags', type: 'text[]', notNull: false },
        { name: 'kind', type: 'invoice_status', notNull: false },
      ],
    };
    const line = new RowEncoder(arrays, TENANT, []).encode(
      { id: ID, ats: ['2024-01-31T00:00:00.000Z'], tags: ['a\tb'], kind: 'x\ty' },
      [],
    );
    // The general way, COPY's own field encoding, whatever it makes of an array.
    expect(fields(line)).toEqual([
      TENANT,
      ID,
      copyField(['2024-01-31T00:00:00.000Z']),
      copyField(['a\tb']),
      'x\\ty',
    ]);
  });
});

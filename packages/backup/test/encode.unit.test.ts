import { describe, expect, it } from 'vitest';
import { columnJson, quoteIdentifier, selectLinesSql, uuidLiteral } from '../src/encode.ts';
import type { ColumnDef } from '../src/table-defs.ts';

// The export's SQL, as text: what encode-lines.test.ts cannot show by running it, such as refusals,
// redaction and quoting. That test compares the lines it prints with row_to_json on a database.

const column = (name: string, type: string, notNull = false): ColumnDef => ({ name, type, notNull });

describe('export SQL', () => {
  it('accepts only lowercase uuids as the organization literal', () => {
    expect(uuidLiteral('0193a000-0000-7000-8000-00000000000f')).toBe(
      "'0193a000-0000-7000-8000-00000000000f'::uuid",
    );
    for (const bad of [
      '0193A000-0000-7000-8000-00000000000F',
      '0193a000-0000-7000-8000-00000000000',
      "x0193a000-0000-7000-8000-00000000000f'",
      'x0193a000-0000-7000-8000-00000000000f',
      '0193a000-0000-7000-8000-00000000000f-',
      "0193a000-0000-7000-8000-00000000000f'; DROP TABLE x; --",
    ]) {
      expect(() => uuidLiteral(bad), bad).toThrow(`not a lowercase uuid: ${bad}`);
    }
  });

  it('quotes identifiers, doubling their quotes', () => {
    expect(quoteIdentifier('items')).toBe('"items"');
    expect(quoteIdentifier('a"b""c')).toBe('"a""b""""c"');
  });

  it('builds one JSON object a row, in column order, tenant column left out, ordered by id', () => {
    const sql = selectLinesSql(
      {
        name: 'items',
        columns: [column('tenant_id', 'uuid', true), column('id', 'uuid', true), column('note', 'text')],
      },
      "'t'::uuid",
    );
    expect(sql).toBe(
      `SELECT '{"id":' || '"' || t."id"::text || '"' || ',"note":' || COALESCE(to_json(t."note")::text, 'null') ` +
        `|| '}' AS line FROM "items" t WHERE t.tenant_id = 't'::uuid ORDER BY t.id`,
    );
  });

  it('writes null for a redacted column, whatever it holds', () => {
    const sql = selectLinesSql(
      {
        name: 'businesses',
        columns: [column('id', 'uuid', true), column('secret', 'text', true)],
        redacted: { secret: 'credential' },
      },
      "'t'::uuid",
    );
    expect(sql).toContain(`',"secret":' || 'null'`);
    expect(sql).not.toContain('t."secret"');
  });

  it('refuses a column name that is not a plain identifier', () => {
    for (const name of ['Note', 'no-te', '1note', 'note"', 'no te']) {
      expect(
        () =>
          selectLinesSql(
            { name: 'items', columns: [column('id', 'uuid', true), column(name, 'text')] },
            "'t'",
          ),
        name,
      ).toThrow(`column name ${name} is not a plain identifier`);
    }
    expect(() => selectLinesSql({ name: 'items', columns: [column('_a1', 'text')] }, "'t'")).not.toThrow();
  });

  it('has an encoding for each column type the schema uses, and refuses any other', () => {
    const ref = 't."c"';
    expect(columnJson(column('c', 'uuid'))).toBe(`'"' || ${ref}::text || '"'`);
    expect(columnJson(column('c', 'numeric(15,2)'))).toBe(`'"' || ${ref}::text || '"'`);
    expect(columnJson(column('c', 'bigint'))).toBe(`'"' || ${ref}::text || '"'`);
    const instant = `'"' || to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"'`;
    expect(columnJson(column('c', 'timestamp with time zone'))).toBe(instant);
    expect(columnJson(column('c', 'timestamp(3) with time zone'))).toBe(instant);
    expect(columnJson(column('c', 'date'))).toBe(`'"' || to_char(${ref}, 'YYYY-MM-DD') || '"'`);
    expect(columnJson(column('c', 'text'))).toBe(`to_json(${ref})::text`);
    expect(columnJson(column('c', 'character varying(20)'))).toBe(`to_json(${ref})::text`);
    for (const type of ['smallint', 'integer', 'boolean', 'jsonb', 'json']) {
      expect(columnJson(column('c', type)), type).toBe(`${ref}::text`);
    }
    expect(columnJson(column('c', 'bytea'))).toBe(
      `'{"__type":"bytes","base64":"' || translate(encode(${ref}, 'base64'), E'\\n', '') || '"}'`,
    );
    for (const type of [
      'timestamp without time zone',
      'real',
      'xml',
      'a timestamp with time zone',
      'timestamp(3) with time zone[]',
    ]) {
      expect(() => columnJson(column('c', type)), type).toThrow(
        `no archive encoding for column type ${type} (c); extend encode.ts`,
      );
    }
  });
});

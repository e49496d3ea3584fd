import { type ColumnDef, type TableDef, TENANT_COLUMN, rowColumns } from './table-defs.ts';

// Rows are turned into their archive line by PostgreSQL itself, so no value passes through a
// JavaScript Date or float, and PGlite and PostgreSQL give the same bytes.
//
// The line is concatenated from typed pieces rather than built by row_to_json: it prints exactly
// the bytes row_to_json prints (the round-trip tests compare them), for about half the backend's
// CPU, because row_to_json looks every column's type up again on every row.

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

const ISO_INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** Column names are JSON keys and SQL literals as they are; anything else would need escaping. */
const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;

/** `'"' || text || '"'`: a value whose text form needs no JSON escaping, as a JSON string. */
const quoted = (text: string) => `'"' || ${text} || '"'`;

/**
 * The SQL text expression giving a column's value as JSON, exactly as row_to_json prints it; NULL
 * when the value is NULL (the caller prints `null` then).
 */
export function columnJson(column: ColumnDef): string {
  const ref = `t.${quote(column.name)}`;
  const type = column.type;
  // uuid, numeric and bigint text never holds a character JSON escapes.
  if (type === 'uuid' || type.startsWith('numeric') || type === 'bigint') return quoted(`${ref}::text`);
  if (/^timestamp(\(\d\))? with time zone$/.test(type)) {
    return quoted(`to_char(${ref} AT TIME ZONE 'UTC', ${ISO_INSTANT})`);
  }
  if (type === 'date') return quoted(`to_char(${ref}, 'YYYY-MM-DD')`);
  if (type === 'text' || type.startsWith('character varying')) return `to_json(${ref})::text`;
  // row_to_json prints these with their own output function, unquoted.
  if (
    type === 'smallint' ||
    type === 'integer' ||
    type === 'boolean' ||
    type === 'jsonb' ||
    type === 'json'
  ) {
    return `${ref}::text`;
  }
  if (type === 'bytea') {
    // encode() wraps base64 every 76 characters; the archive has it on one line.
    return `'{"__type":"bytes","base64":"' || translate(encode(${ref}, 'base64'), E'\\n', '') || '"}'`;
  }
  throw new Error(`no archive encoding for column type ${type} (${column.name}); extend encode.ts`);
}

/** One text column `line`: each row's NDJSON line (without the newline), ordered by id. */
export function selectLinesSql(table: TableDef, tenantLiteral: string): string {
  const redacted = table.redacted ?? {};
  const pieces = rowColumns(table).map((column, i) => {
    if (!PLAIN_NAME.test(column.name))
      throw new Error(`column name ${column.name} is not a plain identifier`);
    const key = `'${i === 0 ? '{' : ','}"${column.name}":'`;
    if (column.name in redacted) return `${key} || 'null'`;
    // A NULL piece would make the whole line NULL: every nullable column says `null` itself.
    const value = columnJson(column);
    return column.notNull ? `${key} || ${value}` : `${key} || COALESCE(${value}, 'null')`;
  });
  return (
    `SELECT ${pieces.join(' || ')} || '}' AS line FROM ${quote(table.name)} t ` +
    `WHERE t.${TENANT_COLUMN} = ${tenantLiteral} ORDER BY t.id`
  );
}

/** A uuid as a SQL literal, after checking it is one (it is interpolated into cursor declarations). */
export function uuidLiteral(id: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new Error(`not a lowercase uuid: ${id}`);
  }
  return `'${id}'::uuid`;
}

export { quote as quoteIdentifier };

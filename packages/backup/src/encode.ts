import { type ColumnDef, type TableDef, TENANT_COLUMN, rowColumns } from './table-defs.ts';

// Rows are turned into their archive line by PostgreSQL itself (row_to_json over typed expressions),
// so no value passes through a JavaScript Date or float, and PGlite and PostgreSQL give the same bytes.

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

const ISO_INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** The SQL expression giving a column's archive value; its JSON form is what row_to_json prints. */
export function columnExpression(column: ColumnDef, redacted: boolean): string {
  const ref = `t.${quote(column.name)}`;
  const as = ` AS ${quote(column.name)}`;
  if (redacted) return `NULL::text${as}`;
  const type = column.type;
  if (type.startsWith('numeric') || type === 'bigint') return `${ref}::text${as}`;
  if (/^timestamp(\(\d\))? with time zone$/.test(type)) {
    return `to_char(${ref} AT TIME ZONE 'UTC', ${ISO_INSTANT})${as}`;
  }
  if (type === 'date') return `to_char(${ref}, 'YYYY-MM-DD')${as}`;
  if (type === 'bytea') {
    // encode() wraps base64 every 76 characters; the archive has it on one line.
    return `CASE WHEN ${ref} IS NULL THEN NULL ELSE ('{"__type":"bytes","base64":"' || translate(encode(${ref}, 'base64'), E'\\n', '') || '"}')::json END${as}`;
  }
  if (
    type === 'uuid' ||
    type === 'text' ||
    type.startsWith('character varying') ||
    type === 'smallint' ||
    type === 'integer' ||
    type === 'boolean' ||
    type === 'jsonb' ||
    type === 'json'
  ) {
    return `${ref}${as}`;
  }
  throw new Error(`no archive encoding for column type ${type} (${column.name}); extend encode.ts`);
}

/** One text column `line`: each row's NDJSON line (without the newline), ordered by id. */
export function selectLinesSql(table: TableDef, tenantLiteral: string): string {
  const redacted = table.redacted ?? {};
  const expressions = rowColumns(table).map((c) => columnExpression(c, c.name in redacted));
  return (
    `SELECT row_to_json(r)::text AS line FROM (SELECT ${expressions.join(', ')} FROM ${quote(table.name)} t ` +
    `WHERE t.${TENANT_COLUMN} = ${tenantLiteral} ORDER BY t.id) r`
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

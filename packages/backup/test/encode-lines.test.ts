import { queryRows } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectLinesSql, uuidLiteral } from '../src/encode.ts';
import { type ColumnDef, type TableDef, liveTableDefs, rowColumns } from '../src/table-defs.ts';
import { createTenant, seedRichOrganization } from './support/rich-organization.ts';

// The archive line is concatenated from typed pieces for speed; the format's definition of a line is
// row_to_json over typed expressions (what every archive so far was written with). This keeps the
// two equal, byte for byte, on every row of an organization with a row in every table, unicode,
// escapes, JSON, bytes, NULLs and microsecond instants.

const ISO_INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** The former encoder, kept here as the reference for what a line is. */
function rowToJsonSql(table: TableDef, tenant: string): string {
  const redacted = table.redacted ?? {};
  const expressions = rowColumns(table).map((column: ColumnDef) => {
    const ref = `t."${column.name}"`;
    const as = ` AS "${column.name}"`;
    if (column.name in redacted) return `NULL::text${as}`;
    const type = column.type;
    if (type.startsWith('numeric') || type === 'bigint') return `${ref}::text${as}`;
    if (type.includes('with time zone')) return `to_char(${ref} AT TIME ZONE 'UTC', ${ISO_INSTANT})${as}`;
    if (type === 'date') return `to_char(${ref}, 'YYYY-MM-DD')${as}`;
    if (type === 'bytea') {
      return `CASE WHEN ${ref} IS NULL THEN NULL ELSE ('{"__type":"bytes","base64":"' || translate(encode(${ref}, 'base64'), E'\\n', '') || '"}')::json END${as}`;
    }
    return `${ref}${as}`;
  });
  return `SELECT row_to_json(r)::text AS line FROM (SELECT ${expressions.join(', ')} FROM "${table.name}" t WHERE t.tenant_id = ${tenant} ORDER BY t.id) r`;
}

for (const backend of testBackends()) {
  describe(`archive lines on ${backend.kind}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    it('are the bytes row_to_json prints, for every row of every table', async () => {
      const source = await createTenant(database);
      await seedRichOrganization(database, source.id);
      const tenant = uuidLiteral(source.id);
      const lines = async (query: string) =>
        (await queryRows<{ line: string }>(database.db, sql.raw(query))).map((r) => r.line);
      let compared = 0;
      for (const table of await liveTableDefs(database.db)) {
        const expected = await lines(rowToJsonSql(table, tenant));
        expect(expected.length, table.name).toBeGreaterThan(0);
        expect(await lines(selectLinesSql(table, tenant)), table.name).toEqual(expected);
        compared += expected.length;
      }
      expect(compared).toBeGreaterThan(30);
    });
  });
}

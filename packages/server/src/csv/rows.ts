import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '@hisaabo/db';
import type { CsvFile } from './files.ts';

export const PAGE_SIZE = 2000;

export interface CsvScope {
  tenantId: string;
  businessId: string;
}

/**
 * One page of a file's rows, every value as PostgreSQL's text form (decimals exactly as stored) but
 * instants in ISO-8601 UTC, in id order after `afterId`. Keyset paging keeps every page as cheap as
 * the first.
 */
export async function csvPage(
  db: Db,
  file: CsvFile,
  scope: CsvScope,
  afterId: string | null,
): Promise<{ lastId: string | null; records: (string | null)[][] }> {
  // Identifiers come from the schema, never from input, so raw SQL for them is safe.
  // Instants stay typed so queryRows gives them the API's ISO-8601 form.
  const list = sql.raw(
    file.columns
      .map((c) => (file.instants.has(c) ? `t.${c} AS "${c}"` : `t.${c}::text AS "${c}"`))
      .join(', '),
  );
  const table = sql.raw(file.table);
  const inBusiness =
    file.scope === 'business'
      ? sql`t.business_id = ${scope.businessId}`
      : sql`EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = t.tenant_id AND i.id = t.invoice_id
                    AND i.business_id = ${scope.businessId})`;
  const after = afterId === null ? sql`` : sql`AND t.id > ${afterId}`;
  const rows = await queryRows<Record<string, string | null>>(
    db,
    sql`SELECT ${list} FROM ${table} t
        WHERE t.tenant_id = ${scope.tenantId} AND ${inBusiness} ${after}
        ORDER BY t.id LIMIT ${PAGE_SIZE}`,
  );
  const records = rows.map((row) => file.columns.map((c) => row[c] ?? null));
  const last = rows.at(-1);
  return { lastId: rows.length === PAGE_SIZE && last ? (last.id ?? null) : null, records };
}

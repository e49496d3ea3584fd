import { type Database, TENANT_TABLES, queryRows } from '@hisaabo/db';
import { sql } from 'drizzle-orm';

/** How many rows the organization has in all organization tables together. */
export async function tenantRowCount(database: Database, tenantId: string): Promise<number> {
  const union = TENANT_TABLES.map(
    (t) => `SELECT count(*)::int AS n FROM "${t.name}" WHERE tenant_id = '${tenantId}'`,
  ).join(' UNION ALL ');
  const rows = await queryRows<{ n: number }>(
    database.db,
    sql.raw(`SELECT sum(n)::int AS n FROM (${union}) c`),
  );
  return Number(rows[0]?.n ?? 0);
}

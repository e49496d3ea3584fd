import { sql } from 'drizzle-orm';
import { TENANT_TABLES, queryRows, type Db } from '@hisaabo/db';

/**
 * The organization tables that hold rows of this organization (empty when it can be restored into).
 * An early, friendly check only: the restore engine checks again under a lock inside its transaction.
 */
export async function tablesWithData(db: Db, tenantId: string): Promise<string[]> {
  // Table names come from the registry, never from input.
  const probes = TENANT_TABLES.map(
    (spec) =>
      sql`SELECT ${spec.name}::text AS name WHERE EXISTS (SELECT 1 FROM ${sql.raw(spec.name)} WHERE tenant_id = ${tenantId})`,
  );
  const rows = await queryRows<{ name: string }>(db, sql.join(probes, sql` UNION ALL `));
  return rows.map((row) => row.name);
}

export function targetNotEmptyMessage(tables: readonly string[]): string {
  return `The organization already has data (in ${tables.join(', ')}); a backup can only be restored into an empty organization. Create a new organization and restore into it.`;
}

import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './connect.ts';
import { queryRows } from './query.ts';
import { TENANT_TABLES } from './registry.ts';
import type { Session } from './session.ts';

/** Who can answer the check: a Drizzle handle, or a session inside its transaction. */
export type EmptinessReader = Pick<Db, 'execute'> | Pick<Session, 'query'>;

const dialect = new PgDialect();

/** One probe per organization table, in registry order; table names come from the registry only. */
function occupiedTablesQuery(tenantId: string): SQL {
  const probes = TENANT_TABLES.map(
    (spec) =>
      sql`SELECT ${spec.name}::text AS name WHERE EXISTS (SELECT 1 FROM ${sql.identifier(spec.name)} WHERE tenant_id = ${tenantId})`,
  );
  return sql.join(probes, sql` UNION ALL `);
}

/**
 * The organization tables holding at least one row of this organization: none when it can be
 * restored into. The server asks early (a friendly answer before an upload); the restore asks again
 * under the organization's lock inside its transaction, which is the answer that counts.
 */
export async function tablesWithRows(reader: EmptinessReader, tenantId: string): Promise<string[]> {
  const query = occupiedTablesQuery(tenantId);
  if ('execute' in reader) {
    return (await queryRows<{ name: string }>(reader, query)).map((row) => row.name);
  }
  const { sql: text, params } = dialect.sqlToQuery(query);
  return (await reader.query<{ name: string }>(text, params)).map((row) => row.name);
}

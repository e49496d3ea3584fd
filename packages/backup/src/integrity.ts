import { type Session, TENANT_TABLES } from '@hisaabo/db';
import { quoteIdentifier as quote } from './encode.ts';
import { type BackupIssue, issue } from './errors.ts';
import { TENANT_COLUMN } from './table-defs.ts';

// A bulk load into tables that already hold other organizations' rows pays for every foreign key
// once per row: PostgreSQL's RI trigger looks the parent up and locks it (FOR KEY SHARE). For a
// restore that is most of the database's work. When the role may, the restore turns those triggers
// off for its own transaction (session_replication_role = replica, the switch logical replication
// uses) and checks every foreign key of the organization's rows afterwards, one anti-join per
// constraint, before it commits. Unique, NOT NULL and CHECK constraints are not triggers and stay on.

/** A foreign key as the catalog has it: the source of truth, so no constraint can be forgotten. */
interface CatalogForeignKey {
  name: string;
  table: string;
  refTable: string;
  columns: string[];
  refColumns: string[];
}

const SAVEPOINT = 'hisaabo_replica_role';

/**
 * Turns per-row foreign-key triggers off for the rest of the transaction, if the role is allowed to
 * (a superuser, or `GRANT SET ON PARAMETER session_replication_role` on PostgreSQL 15+). Returns
 * whether it did; when it did, `checkForeignKeys` must run before commit.
 */
export async function deferForeignKeysToCommit(session: Session): Promise<boolean> {
  await session.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    // First here only: a role that may not is refused before anything reaches a Citus worker (a
    // refusal after the next line leaves Citus's worker connections unusable for the rollback).
    await session.query('SET LOCAL session_replication_role = replica');
    // Allowed. On Citus the rows go to the workers over connections of their own, where a plain
    // SET LOCAL does not reach: the triggers would stay on there (still correct, only slower). This
    // makes Citus send this transaction's SET LOCALs (replica again now, origin before the check) to
    // the workers too. Elsewhere it only sets an unused placeholder setting.
    await session.query(`SET LOCAL citus.propagate_set_commands = 'local'`);
    await session.query('SET LOCAL session_replication_role = replica');
    await session.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code !== '42501') throw error;
    // Not allowed: the triggers stay on and check every row as it is inserted.
    await session.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    await session.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return false;
  }
}

const MAX_REPORTED = 20;

/**
 * Checks, set-based, that every foreign key of the organization's rows resolves, and turns the
 * triggers back on. Returns one issue per dangling reference found (at most MAX_REPORTED).
 */
export async function checkForeignKeys(session: Session, tenant: string): Promise<BackupIssue[]> {
  await session.query('SET LOCAL session_replication_role = origin');
  // The rows were loaded in this transaction, after the planner's statistics were last taken: it
  // would think the tables nearly empty and pick a nested loop (quadratic here). Hash joins it is.
  await session.query('SET LOCAL enable_nestloop = off');
  const issues: BackupIssue[] = [];
  for (const fk of await catalogForeignKeys(session)) {
    if (issues.length >= MAX_REPORTED) break;
    const dangling = await session.query<Record<string, string>>(
      danglingRowsSql(fk, MAX_REPORTED - issues.length),
      [tenant],
    );
    for (const row of dangling) {
      const column = fk.columns.find((c) => c !== TENANT_COLUMN) ?? fk.columns[0]!;
      issues.push(
        issue(`row ${row.id} refers to ${fk.refTable} ${row[column]}, which is not in the archive`, {
          table: fk.table,
          column,
        }),
      );
    }
  }
  await session.query('RESET enable_nestloop');
  return issues;
}

/**
 * The foreign keys of the organization tables but tenant_id -> tenants: every restored row carries
 * the target's id, whose row the restore found under the organization's lock (organizations are never
 * deleted), so that one holds by construction (and checking it would scan every row for nothing).
 */
async function catalogForeignKeys(session: Session): Promise<CatalogForeignKey[]> {
  const rows = await session.query<{ fk: CatalogForeignKey }>(
    `SELECT json_build_object(
        'name', c.conname,
        'table', child.relname,
        'refTable', parent.relname,
        'columns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
        'refColumns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
      ) AS fk
     FROM pg_constraint c
     JOIN pg_class child ON child.oid = c.conrelid
     JOIN pg_class parent ON parent.oid = c.confrelid
     WHERE c.contype = 'f' AND child.relname = ANY($1) AND parent.relname <> 'tenants'
       AND child.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
     ORDER BY child.relname, c.conname`,
    [TENANT_TABLES.map((t) => t.name)],
  );
  return rows.map((r) => r.fk);
}

/**
 * The organization's rows whose key is fully set (MATCH SIMPLE: a key with a null is not checked)
 * and has no parent row.
 */
function danglingRowsSql(fk: CatalogForeignKey, limit: number): string {
  const set = fk.columns.map((c) => `c.${quote(c)} IS NOT NULL`).join(' AND ');
  const match = fk.columns.map((c, i) => `p.${quote(fk.refColumns[i]!)} = c.${quote(c)}`).join(' AND ');
  const values = fk.columns.map((c) => `c.${quote(c)}::text AS ${quote(c)}`).join(', ');
  return (
    `SELECT c.id::text AS id, ${values} FROM ${quote(fk.table)} c ` +
    `WHERE c.${quote(TENANT_COLUMN)} = $1 AND ${set} ` +
    `AND NOT EXISTS (SELECT 1 FROM ${quote(fk.refTable)} p WHERE ${match}) LIMIT ${limit}`
  );
}

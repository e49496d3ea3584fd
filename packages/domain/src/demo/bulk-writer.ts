import { type CopyValue, type Database, copyRows } from '@hisaabo/db';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Loads rows with COPY inside one transaction: pg-copy-streams on PostgreSQL, a blob on PGlite. */
export interface BulkWriter {
  copy(table: string, columns: readonly string[], rows: readonly CopyValue[][]): Promise<void>;
  /** Runs a statement in the same transaction. */
  exec(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

const copySql = (table: string, columns: readonly string[], source: string) =>
  `COPY ${table} (${columns.join(', ')}) FROM ${source}`;

/** Runs `work` with a bulk writer in one transaction: everything is loaded, or nothing is. */
export async function withBulkWriter<T>(
  database: Database,
  work: (writer: BulkWriter) => Promise<T>,
): Promise<T> {
  if (database.driver.kind === 'pglite') return withPglite(database.driver.client, work);
  return withPostgres(database.driver.pool, work);
}

async function withPglite<T>(client: PGlite, work: (writer: BulkWriter) => Promise<T>): Promise<T> {
  return client.transaction(async (tx: Transaction) =>
    work({
      async copy(table, columns, rows) {
        if (!rows.length) return;
        await tx.query(copySql(table, columns, `'/dev/blob'`), [], { blob: new Blob([copyRows(rows)]) });
      },
      async exec(text, params) {
        const result = await tx.query<Record<string, unknown>>(text, params);
        return { rows: result.rows };
      },
    }),
  );
}

async function withPostgres<T>(pool: pg.Pool, work: (writer: BulkWriter) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work({
      async copy(table, columns, rows) {
        if (!rows.length) return;
        const stream = client.query(copyFrom(copySql(table, columns, 'STDIN')));
        await new Promise<void>((resolve, reject) => {
          stream.on('finish', resolve);
          stream.on('error', reject);
          stream.end(copyRows(rows));
        });
      },
      async exec(text, params) {
        const result = await client.query(text, params);
        return { rows: result.rows as Record<string, unknown>[] };
      },
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

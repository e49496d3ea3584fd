import { type CopyValue, type Database, copyRows, inTransaction } from '@hisaabo/db';

/** Loads rows with COPY inside one transaction, on the database's one-connection session. */
export interface BulkWriter {
  copy(table: string, columns: readonly string[], rows: readonly CopyValue[][]): Promise<void>;
  /** Runs a statement in the same transaction. */
  exec(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Runs `work` with a bulk writer in one transaction: everything is loaded, or nothing is. A failed
 * load is rolled back by the session, which also discards a connection that could not roll back.
 */
export function withBulkWriter<T>(database: Database, work: (writer: BulkWriter) => Promise<T>): Promise<T> {
  return inTransaction(database, 'write', (session) =>
    work({
      async copy(table, columns, rows) {
        if (!rows.length) return;
        const copy = session.copyIn(`${table} (${columns.join(', ')})`);
        try {
          await copy.write(copyRows(rows));
          await copy.end();
        } catch (error) {
          await copy.abort();
          throw error;
        }
      },
      async exec(text, params) {
        return { rows: await session.query(text, params) };
      },
    }),
  );
}

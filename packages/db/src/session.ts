import type { Readable } from 'node:stream';
import { to as copyTo } from 'pg-copy-streams';
import type { Database } from './connect.ts';
import { type CopyIn, pgliteCopyIn, postgresCopyIn } from './copy-in.ts';

/**
 * Raw SQL on one connection, in a transaction of its own: what a backup, a restore and the demo
 * generator run on, since COPY and cursors need the same connection from start to end.
 */
export interface Session {
  readonly kind: Database['kind'];
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** PostgreSQL only: the raw bytes of a `COPY … TO STDOUT`, read on the session's connection. */
  copyOut?(text: string): Readable;
  /** Starts loading COPY text-format lines into `target` (`table (columns)`, quoted). */
  copyIn(target: string): CopyIn;
}

export type TransactionMode = 'snapshot' | 'write';

const BEGIN: Record<TransactionMode, string> = {
  // One snapshot for the whole export: rows written meanwhile are simply not seen.
  snapshot: 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY',
  write: 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE',
};

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it
 * throws. On PGlite, which has a single connection, other queries wait until it ends.
 */
export async function inTransaction<T>(
  database: Database,
  mode: TransactionMode,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const driver = database.driver;
  if (driver.kind === 'pglite') {
    return driver.client.transaction(async (tx) => {
      await tx.query(BEGIN[mode]);
      return work({
        kind: 'pglite',
        query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
        copyIn: (target) => pgliteCopyIn(tx, target),
      });
    });
  }
  const client = await driver.pool.connect();
  let broken: Error | undefined;
  let copying: Readable | undefined;
  try {
    await client.query('BEGIN');
    await client.query(BEGIN[mode]);
    const result = await work({
      kind: 'postgres',
      query: async <R>(text: string, params?: unknown[]) =>
        (await client.query(text, params as unknown[])).rows as R[],
      copyOut: (text: string) => {
        copying = client.query(copyTo(text));
        return copying;
      },
      copyIn: (target) => postgresCopyIn(client, target),
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (copying && !copying.readableEnded) {
      // A COPY … TO STDOUT left half-read (the reader went away or was cut off) keeps the connection
      // busy until every row is drained, and a ROLLBACK would queue behind it forever. Dropping the
      // connection ends the COPY and rolls the transaction back on the server at once.
      broken = error instanceof Error ? error : new Error(String(error));
    } else {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
    }
    throw error;
  } finally {
    // A connection that could not roll back is discarded rather than returned to the pool.
    client.release(broken);
  }
}

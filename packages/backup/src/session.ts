import type { Readable } from 'node:stream';
import type { Database } from '@hisaabo/db';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/** Raw SQL on the one connection a backup runs on (a transaction of its own). */
export interface Session {
  readonly kind: Database['kind'];
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** PostgreSQL only: the raw bytes of a `COPY … TO STDOUT`, read on the session's connection. */
  copyOut?(text: string): Readable;
  /** Loads COPY text-format lines with `COPY <target> FROM <source>` (`target` is `table (columns)`). */
  copyIn(target: string, lines: string): Promise<void>;
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
        copyIn: async (target, lines) => {
          // PGlite reads COPY input from a blob it exposes as /dev/blob.
          await tx.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob([lines]) });
        },
      });
    });
  }
  const client = await driver.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query(BEGIN[mode]);
    const result = await work({
      kind: 'postgres',
      query: async <R>(text: string, params?: unknown[]) =>
        (await client.query(text, params as unknown[])).rows as R[],
      copyOut: (text: string) => client.query(copyTo(text)),
      copyIn: (target, lines) =>
        new Promise<void>((resolve, reject) => {
          const stream = client.query(copyFrom(`COPY ${target} FROM STDIN`));
          stream.on('finish', resolve);
          stream.on('error', reject);
          stream.end(lines);
        }),
    });
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    // A connection that could not roll back is discarded rather than returned to the pool.
    client.release(broken);
  }
}

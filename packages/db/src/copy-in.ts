import type { Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Rows going into one table by `COPY … FROM` (text format), written line by line as the archive is
 * read, so the database loads while the next rows are parsed and no batch is held in memory.
 */
export interface CopyIn {
  /**
   * Queues one line (ending in \n), or COPY text of whole lines as UTF-8 bytes; returns a promise
   * when the caller should wait before more.
   */
  write(text: string | Uint8Array): Promise<void> | undefined;
  /** Sends what is left and waits until the database has every row. */
  end(): Promise<void>;
  /** Gives the COPY up (the database discards it), so the connection can roll back. */
  abort(): Promise<void>;
}

/** Lines are handed to the driver in pieces of about this size (one protocol message each). */
const PIECE_BYTES = 64 * 1024;
/** PGlite takes its COPY input as one blob per statement; each holds about this much. */
const PGLITE_BATCH_BYTES = 2 * 1024 * 1024;

/** `target` is `table (columns)`, already quoted. */
export function postgresCopyIn(client: pg.PoolClient, target: string): CopyIn {
  const stream = client.query(copyFrom(`COPY ${target} FROM STDIN`));
  let failure: unknown;
  const settled = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('close', resolve);
    stream.on('error', (error) => {
      failure = error;
      reject(error);
    });
  });
  // Seen by the next write or by end(); never unhandled meanwhile.
  settled.catch(() => {});
  let pending = '';
  const takePending = () => {
    const piece = pending;
    pending = '';
    return piece;
  };

  const send = (piece: string | Uint8Array): Promise<void> | undefined => {
    if (stream.write(piece)) return undefined;
    return new Promise<void>((resolve, reject) => {
      stream.once('drain', resolve);
      settled.catch(reject);
    });
  };

  return {
    write(text) {
      if (failure) throw failure;
      if (typeof text !== 'string') {
        // Already a piece of its own: what is pending goes first, the bytes as they are.
        if (pending) send(takePending());
        return send(text);
      }
      pending += text;
      return pending.length >= PIECE_BYTES ? send(takePending()) : undefined;
    },
    async end() {
      if (failure) throw failure;
      if (pending) send(takePending());
      stream.end();
      await settled;
      if (failure) throw failure;
    },
    async abort() {
      if (failure || stream.writableFinished || stream.destroyed) return;
      stream.destroy(new Error('restore abandoned'));
      await settled.catch(() => {});
    },
  };
}

/** PGlite reads COPY input from a blob it exposes as /dev/blob: one statement per batch. */
export function pgliteCopyIn(tx: Transaction, target: string): CopyIn {
  let batch: BlobPart[] = [];
  let bytes = 0;
  const load = async () => {
    const lines = batch;
    batch = [];
    bytes = 0;
    if (lines.length > 0) await tx.query(`COPY ${target} FROM '/dev/blob'`, [], { blob: new Blob(lines) });
  };
  return {
    write(text) {
      batch.push(text as BlobPart);
      bytes += text.length;
      return bytes >= PGLITE_BATCH_BYTES ? load() : undefined;
    },
    end: load,
    async abort() {
      batch = [];
    },
  };
}

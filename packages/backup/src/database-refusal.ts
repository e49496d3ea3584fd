import { TENANT_TABLES } from '@hisaabo/db';
import { invalid } from './errors.ts';

// A restore's failure as the user should see it: rows the database refuses (a dangling reference, a
// duplicate id, a value out of range) are the archive's fault, whatever the server's wording.

interface DatabaseError {
  code?: unknown;
  message?: string;
  table?: string;
  detail?: string;
}

/**
 * The failure a restore reports: a refusal of rows (SQLSTATE class 22 or 23, or Citus relaying one)
 * becomes INVALID_ARCHIVE naming the table; anything else (a BackupError among them: its codes are
 * words, never a SQLSTATE) is passed on unchanged.
 */
export function asArchiveError(error: unknown): unknown {
  const err = error as DatabaseError | null | undefined;
  if (typeof err?.code === 'string' && (/^(22|23)/.test(err.code) || isCitusCopyViolation(err))) {
    return invalid(
      `the database refused rows of the archive: ${err.message}${err.detail ? ` (${err.detail})` : ''}`,
      { table: err.table ?? shardTable(err.message) },
    );
  }
  return error;
}

/**
 * Citus relays a constraint violation that a worker raised during COPY as an internal error (XX000)
 * carrying the worker's message, instead of the original SQLSTATE 23xxx.
 */
function isCitusCopyViolation(err: DatabaseError): boolean {
  return (
    err.code === 'XX000' &&
    /violates (foreign key|unique|not-null|check|exclusion) constraint/.test(String(err.message))
  );
}

/** The organization table of a Citus shard named in a relayed message ("invoice_items_102070"). */
function shardTable(message: string | undefined): string | null {
  const shard = /on table "([a-z_]+)_\d+"/.exec(String(message))?.[1];
  return TENANT_TABLES.some((t) => t.name === shard) ? shard! : null;
}

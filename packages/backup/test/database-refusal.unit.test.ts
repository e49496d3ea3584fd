import { describe, expect, it } from 'vitest';
import { asArchiveError } from '../src/database-refusal.ts';
import { BackupError } from '../src/errors.ts';

// What a restore reports when the database refuses a row, for the errors PostgreSQL and Citus give
// (their fields as node-postgres hands them over).

const refused = (error: unknown) => {
  const result = asArchiveError(error);
  expect(result).toBeInstanceOf(BackupError);
  return result as BackupError;
};

describe('a refusal of rows is the archive at fault', () => {
  it('a dangling reference, with the detail and the table PostgreSQL names', () => {
    const error = refused({
      code: '23503',
      message:
        'insert or update on table "invoice_items" violates foreign key constraint "invoice_items_invoice_fk"',
      detail: 'Key (tenant_id, invoice_id)=(a, b) is not present in table "invoices".',
      table: 'invoice_items',
    });
    expect(error.code).toBe('INVALID_ARCHIVE');
    expect(error.message).toBe(
      'the database refused rows of the archive: insert or update on table "invoice_items" violates foreign key constraint "invoice_items_invoice_fk" (Key (tenant_id, invoice_id)=(a, b) is not present in table "invoices".)',
    );
    expect(error.errors).toEqual([
      { table: 'invoice_items', line: null, column: null, message: error.message },
    ]);
  });

  it('a value out of range, with no detail and no table', () => {
    const error = refused({ code: '22003', message: 'numeric field overflow' });
    expect(error.message).toBe('the database refused rows of the archive: numeric field overflow');
    expect(error.errors[0]!.table).toBeNull();
  });

  it('a violation a Citus worker raised, relayed as an internal error: the shard names the table', () => {
    const error = refused({
      code: 'XX000',
      message:
        'duplicate key value violates unique constraint "parties_pkey_102041" on table "parties_102041"',
    });
    expect(error.code).toBe('INVALID_ARCHIVE');
    expect(error.errors[0]!.table).toBe('parties');
    for (const kind of ['foreign key', 'not-null', 'check', 'exclusion']) {
      expect(refused({ code: 'XX000', message: `violates ${kind} constraint "x"` }).code).toBe(
        'INVALID_ARCHIVE',
      );
    }
  });

  it('a shard of a table that is not an organization table names no table', () => {
    const error = refused({
      code: '23505',
      message: 'violates unique constraint "k" on table "salaries_102041"',
    });
    expect(error.errors[0]!.table).toBeNull();
  });
});

describe('anything else is passed on unchanged', () => {
  it.each([
    [
      'a lost connection relayed by Citus',
      { code: 'XX000', message: 'connection to the remote node 127.0.0.1:5434 failed' },
    ],
    ['a serialization failure', { code: '40001', message: 'could not serialize access' }],
    ['a numeric code', { code: 23505, message: 'duplicate key' }],
    // Class 42, whose code only holds a 23.
    ['a function that already exists', { code: '42723', message: 'function "f" already exists' }],
    [
      'a constraint message under any code but XX000',
      { code: '0A000', message: 'violates foreign key constraint "x" (not supported)' },
    ],
    ['an internal error with no message', { code: 'XX000' }],
    ['an error without a code', new Error('the line worker stopped')],
  ])('%s', (_name, error) => {
    expect(asArchiveError(error)).toBe(error);
  });

  it('a BackupError, and no error object at all', () => {
    const known = new BackupError('TARGET_NOT_EMPTY', 'the organization is not empty');
    expect(asArchiveError(known)).toBe(known);
    expect(asArchiveError(undefined)).toBeUndefined();
    expect(asArchiveError(null)).toBeNull();
  });
});

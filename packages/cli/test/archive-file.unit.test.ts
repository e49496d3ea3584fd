import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '@hisaabo/backup';
import { failIfInvalid, tableSummaryLines, totalRows } from '../src/archive-check.ts';
import { AGE_MAGIC, sniffBytes } from '../src/crypto/detect.ts';
import { CliError } from '../src/errors.ts';
import { ExitCode } from '../src/exit-codes.ts';
import { formatBytes } from '../src/output.ts';

describe('telling an archive from an encrypted file by its first bytes', () => {
  it('knows gzip, binary age (by key or by passphrase), armored age, empty and unknown files', () => {
    expect(sniffBytes(Buffer.from([0x1f, 0x8b, 8, 0]))).toEqual({ kind: 'gzip' });
    expect(sniffBytes(Buffer.from(`${AGE_MAGIC}-> X25519 abc\n`))).toEqual({
      kind: 'age',
      passphrase: false,
    });
    expect(sniffBytes(Buffer.from(`${AGE_MAGIC}-> scrypt salt 18\n`))).toEqual({
      kind: 'age',
      passphrase: true,
    });
    expect(sniffBytes(Buffer.from('\n-----BEGIN AGE ENCRYPTED FILE-----\n'))).toEqual({
      kind: 'age-armored',
    });
    expect(sniffBytes(Buffer.alloc(0))).toEqual({ kind: 'empty' });
    expect(sniffBytes(Buffer.from('PK\u0003\u0004'))).toEqual({ kind: 'unknown' });
  });
});

describe('archive summaries', () => {
  it('lines up tables, right-aligned rows and sizes, then the total', () => {
    const tables = {
      businesses: { rows: 2, bytes: 1383 },
      invoice_items: { rows: 14727, bytes: 5 * 1024 * 1024 },
    };
    expect(tableSummaryLines(tables)).toEqual([
      '  businesses             2 rows     1.4 KiB',
      '  invoice_items      14727 rows     5.0 MiB',
      '  total              14729 rows in 2 tables',
    ]);
    expect(totalRows(tables)).toBe(14729);
    expect(formatBytes(1023)).toBe('1023 B');
  });
});

describe('an invalid archive', () => {
  const report = (errors: number): VerifyReport => ({
    ok: errors === 0,
    tables: {},
    warnings: [],
    errors: Array.from({ length: errors }, (_, i) => ({
      table: 'invoices',
      line: i + 1,
      column: 'total',
      message: 'not a decimal',
    })),
  });

  it('passes when the report is clean', () => {
    expect(() => failIfInvalid(report(0), 'backup.tar.gz')).not.toThrow();
  });

  it('exits with the bad-file code, naming the first 20 problems and counting the rest', () => {
    let thrown: unknown;
    try {
      failIfInvalid(report(23), 'backup.tar.gz');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CliError);
    const error = thrown as CliError;
    expect(error.exitCode).toBe(ExitCode.badFile);
    expect(error.message).toBe('backup.tar.gz is not a valid Hisaabo backup');
    expect(error.details).toHaveLength(21);
    expect(error.details?.[20]).toBe('… and 3 more');
  });
});

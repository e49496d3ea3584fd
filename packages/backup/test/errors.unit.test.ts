import { describe, expect, it } from 'vitest';
import { BackupError, invalid, invalidArchive, issue } from '../src/errors.ts';

// The words a refused archive is reported with: the API returns `message` and `errors[]` as they are
// (docs/backup-format.md), so their shape is part of the contract.

describe('backup errors', () => {
  it('is a named error whose errors[] holds at least the message itself', () => {
    const error = new BackupError('TARGET_NOT_EMPTY', 'the organization already has data');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BackupError');
    expect(error.code).toBe('TARGET_NOT_EMPTY');
    expect(error.message).toBe('the organization already has data');
    expect(error.errors).toEqual([
      { table: null, line: null, column: null, message: 'the organization already has data' },
    ]);
    const found = issue('bad', { table: 'items', line: 2, column: 'rate' });
    expect(new BackupError('INVALID_ARCHIVE', 'summary', [found]).errors).toEqual([found]);
  });

  it('places an issue only as precisely as it is told', () => {
    expect(issue('m')).toEqual({ table: null, line: null, column: null, message: 'm' });
    expect(issue('m', { table: 'items' })).toEqual({
      table: 'items',
      line: null,
      column: null,
      message: 'm',
    });
    expect(issue('m', { line: 0, column: 'id' })).toEqual({
      table: null,
      line: 0,
      column: 'id',
      message: 'm',
    });
  });

  it('invalid() is one archive problem, located', () => {
    const error = invalid('the index is missing', { table: 'items' });
    expect(error.code).toBe('INVALID_ARCHIVE');
    expect(error.message).toBe('the index is missing');
    expect(error.errors).toEqual([issue('the index is missing', { table: 'items' })]);
  });

  it('sums up every problem by the first one, with its table, line and column', () => {
    const one = invalidArchive([issue('not a uuid', { table: 'items', line: 3, column: 'id' })]);
    expect(one.code).toBe('INVALID_ARCHIVE');
    expect(one.message).toBe('1 problem in the archive; first: items, line 3, id: not a uuid');
    const two = invalidArchive([issue('no newline', { table: 'items', line: 0 }), issue('other')]);
    expect(two.message).toBe('2 problems in the archive; first: items, line 0: no newline');
    expect(two.errors).toHaveLength(2);
    const nowhere = invalidArchive([issue('the manifest is missing'), issue('x'), issue('y')]);
    expect(nowhere.message).toBe('3 problems in the archive; first: the manifest is missing');
    expect(invalidArchive([issue('m', { column: 'id' })]).message).toBe(
      '1 problem in the archive; first: id: m',
    );
  });

  it('says so when reading stopped at the first problems', () => {
    const issues = [issue('bad value', { table: 'items', line: 1, column: 'rate' })];
    expect(invalidArchive(issues, true).message).toBe(
      '1 problem in the archive (reading stopped there); first: items, line 1, rate: bad value',
    );
    expect(invalidArchive(issues, false).message).toBe(
      '1 problem in the archive; first: items, line 1, rate: bad value',
    );
  });

  it('with no problem listed, still refuses the archive in plain words', () => {
    const error = invalidArchive([]);
    expect(error.message).toBe('the archive is invalid');
    expect(error.errors).toEqual([issue('the archive is invalid')]);
  });
});

import { describe, expect, it } from 'vitest';
import { BackupError } from '../src/errors.ts';
import { LineSplitter } from '../src/line-splitter.ts';

// Lines cut anywhere between chunks come out whole, numbered across chunks; a line longer than the
// maximum is refused as soon as it is, wherever it was cut.

function split(chunks: string[], max = 100): { lines: string[]; splitter: LineSplitter } {
  const splitter = new LineSplitter('items', max);
  const lines: string[] = [];
  for (const chunk of chunks)
    for (const line of splitter.push(Buffer.from(chunk))) lines.push(line.toString());
  return { lines, splitter };
}

function refusal(action: () => void): BackupError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(BackupError);
    return error as BackupError;
  }
  throw new Error('not refused');
}

describe('line splitter', () => {
  it('joins a line cut across chunks, at any place', () => {
    const text = '{"a":1}\n{"b":22}\n\n{"c":333}\n';
    for (let size = 1; size <= 4; size++) {
      const chunks = text.match(new RegExp(`[^]{1,${size}}`, 'g'))!;
      const { lines, splitter } = split(chunks);
      expect(lines, `chunks of ${size}`).toEqual(['{"a":1}', '{"b":22}', '', '{"c":333}']);
      expect(splitter.line).toBe(4);
      splitter.endOfEntry('items.ndjson');
    }
    expect(split(['ab', 'c\nd', 'e\n']).lines).toEqual(['abc', 'de']);
    expect(split(['\n', 'x', '\n']).lines).toEqual(['', 'x']);
  });

  it('refuses an entry that ends in the middle of a line, naming the line', () => {
    const { splitter } = split(['{"a":1}\n{"b"', ':2}']);
    const error = refusal(() => splitter.endOfEntry('items.ndjson'));
    expect(error.code).toBe('INVALID_ARCHIVE');
    expect(error.errors).toEqual([
      {
        table: 'items',
        line: 2,
        column: null,
        message: 'entry items.ndjson ends in the middle of a line (no final newline)',
      },
    ]);
  });

  it('accepts a line of exactly the maximum, refuses one byte more, even when cut across chunks', () => {
    expect(split(['12345\n'], 5).lines).toEqual(['12345']);
    expect(split(['12', '345', '\n'], 5).lines).toEqual(['12345']);
    for (const chunks of [['123456\n'], ['123', '456\n'], ['1234', '56'], ['12', '34', '56', '\n']]) {
      const error = refusal(() => split(chunks, 5));
      expect(error.errors, chunks.join('|')).toEqual([
        { table: 'items', line: 1, column: null, message: 'line is longer than the maximum of 5 bytes' },
      ]);
    }
    const later = refusal(() => split(['ok\n', 'fine\n', '1234', '56\n'], 5));
    expect(later.errors[0]!.line).toBe(3);
  });
});

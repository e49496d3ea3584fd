import { describe, expect, it } from 'vitest';
import { LineCutError, LineSplitter } from '../src/line-splitter.ts';

// Lines cut anywhere between chunks come out whole, in batches of whole lines; a line longer than
// the maximum is refused as soon as it is, wherever it was cut, after the lines before it. (The line
// work numbers the lines: a refusal's line number is tested in restore-worker.test.ts.)

function split(chunks: string[], max = 100): { batches: string[]; lines: string[]; splitter: LineSplitter } {
  const splitter = new LineSplitter(max);
  const batches: string[] = [];
  for (const chunk of chunks) splitter.push(Buffer.from(chunk), (batch) => batches.push(batch.toString()));
  const lines = batches.flatMap((b) => b.split('\n').slice(0, -1));
  return { batches, lines, splitter };
}

function refusal(action: () => void): LineCutError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(LineCutError);
    return error as LineCutError;
  }
  throw new Error('not refused');
}

describe('line splitter', () => {
  it('joins a line cut across chunks, at any place, and every batch ends with a whole line', () => {
    const text = '{"a":1}\n{"b":22}\n\n{"c":333}\n';
    for (let size = 1; size <= 4; size++) {
      const chunks = text.match(new RegExp(`[^]{1,${size}}`, 'g'))!;
      const { batches, lines, splitter } = split(chunks);
      expect(lines, `chunks of ${size}`).toEqual(['{"a":1}', '{"b":22}', '', '{"c":333}']);
      for (const batch of batches) expect(batch.endsWith('\n')).toBe(true);
      expect(batches.join('')).toBe(text);
      splitter.endOfEntry('items.ndjson');
    }
    expect(split(['ab', 'c\nd', 'e\n']).lines).toEqual(['abc', 'de']);
    expect(split(['\n', 'x', '\n']).lines).toEqual(['', 'x']);
  });

  it('hands a chunk of whole lines on as one batch', () => {
    expect(split(['{"a":1}\n{"b":2}\n']).batches).toEqual(['{"a":1}\n{"b":2}\n']);
  });

  it('refuses an entry that ends in the middle of a line', () => {
    const { lines, splitter } = split(['{"a":1}\n{"b"', ':2}']);
    expect(lines).toEqual(['{"a":1}']);
    const error = refusal(() => splitter.endOfEntry('items.ndjson'));
    expect(error.message).toBe('entry items.ndjson ends in the middle of a line (no final newline)');
  });

  it('accepts a line of exactly the maximum, refuses one byte more, even when cut across chunks', () => {
    expect(split(['12345\n'], 5).lines).toEqual(['12345']);
    expect(split(['12', '345', '\n'], 5).lines).toEqual(['12345']);
    for (const chunks of [['123456\n'], ['123', '456\n'], ['1234', '56'], ['12', '34', '56', '\n']]) {
      const error = refusal(() => split(chunks, 5));
      expect(error.message, chunks.join('|')).toBe('line is longer than the maximum of 5 bytes');
    }
  });

  it('emits the lines before an overlong one, then refuses it', () => {
    const emitted: string[] = [];
    const splitter = new LineSplitter(5);
    splitter.push(Buffer.from('ok\n'), (b) => emitted.push(b.toString()));
    const error = refusal(() =>
      splitter.push(Buffer.from('fine\n123456\nlater\n'), (b) => emitted.push(b.toString())),
    );
    expect(error.message).toBe('line is longer than the maximum of 5 bytes');
    expect(emitted.join('')).toBe('ok\nfine\n');
  });
});

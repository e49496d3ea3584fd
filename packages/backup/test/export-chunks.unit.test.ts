import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TableChunkWriter } from '../src/export-chunks.ts';

interface Entry {
  name: string;
  rows: number;
  text: string;
}

/** Feeds `pieces` (each a run of whole lines) to a writer and returns its entries and summary. */
async function cut(pieces: string[], chunkBytes: number) {
  const entries: Entry[] = [];
  const progress: number[] = [];
  const writer = new TableChunkWriter(
    'invoices',
    chunkBytes,
    async ({ name, rows, body }) => {
      entries.push({ name, rows, text: body.toString() });
    },
    ({ rows }) => progress.push(rows),
  );
  for (const piece of pieces) await writer.write(Buffer.from(piece));
  const summary = await writer.finish();
  return { entries, summary, progress };
}

const LINES = ['{"a":1}\n', '{"b":22}\n', '{"c":333}\n', `{"long":"${'x'.repeat(40)}"}\n`, '{"d":4}\n'];

describe('the export chunk writer', () => {
  it('cuts at the same places whether the lines come one by one or many at a time', async () => {
    for (const chunkBytes of [1, 8, 9, 17, 20, 30, 64, 1024]) {
      const oneByOne = await cut(LINES, chunkBytes);
      const together = await cut([LINES.join('')], chunkBytes);
      const pairs = await cut([LINES.slice(0, 2).join(''), LINES.slice(2).join('')], chunkBytes);
      expect(together.entries, `${chunkBytes}`).toEqual(oneByOne.entries);
      expect(pairs.entries, `${chunkBytes}`).toEqual(oneByOne.entries);
      expect(together.summary).toEqual(oneByOne.summary);
    }
  });

  it('never splits a line, fills entries up to the limit, and gives a long line an entry of its own', async () => {
    const { entries, summary } = await cut([LINES.join('')], 20);
    expect(entries.map((e) => e.text)).toEqual(['{"a":1}\n{"b":22}\n', '{"c":333}\n', LINES[3], '{"d":4}\n']);
    expect(entries.map((e) => e.name)).toEqual([
      'invoices.ndjson',
      'invoices.2.ndjson',
      'invoices.3.ndjson',
      'invoices.4.ndjson',
    ]);
    expect(entries.map((e) => e.rows)).toEqual([2, 1, 1, 1]);
    const all = LINES.join('');
    expect(summary).toEqual({
      rows: 5,
      bytes: Buffer.byteLength(all),
      sha256: createHash('sha256').update(all).digest('hex'),
    });
  });

  it('writes one empty entry for a table without rows, and reports progress as lines arrive', async () => {
    const empty = await cut([], 1024);
    expect(empty.entries).toEqual([{ name: 'invoices.ndjson', rows: 0, text: '' }]);
    expect(empty.summary.rows).toBe(0);
    const { progress } = await cut(LINES, 1024);
    expect(progress).toEqual([1, 2, 3, 4, 5, 5]);
  });

  it('fills each entry with as many whole lines as fit, for every limit and every way of feeding them', async () => {
    // Lines whose sizes straddle every limit below, fed whole and cut at every line boundary.
    const lines = ['{"a":1}\n', '{"bb":22}\n', '{"c":3}\n', '{"dddd":4444}\n', '{"e":5}\n', '{"f":66}\n'];
    for (let chunkBytes = 1; chunkBytes <= 60; chunkBytes++) {
      const expected: string[] = [];
      let current = '';
      for (const line of lines) {
        if (current && current.length + line.length > chunkBytes) {
          expected.push(current);
          current = '';
        }
        current += line;
      }
      expected.push(current);
      for (let split = 0; split <= lines.length; split++) {
        const pieces = [lines.slice(0, split).join(''), lines.slice(split).join('')].filter(Boolean);
        const { entries } = await cut(pieces, chunkBytes);
        expect(
          entries.map((e) => e.text),
          `${chunkBytes} bytes, split after ${split}`,
        ).toEqual(expected);
        expect(entries.map((e) => e.rows)).toEqual(expected.map((t) => t.split('\n').length - 1));
      }
    }
  });

  it('needs no progress listener', async () => {
    const entries: string[] = [];
    const writer = new TableChunkWriter('items', 8, async ({ body }) => {
      entries.push(body.toString());
    });
    await writer.write(Buffer.from('{"a":1}\n{"b":2}\n'));
    expect((await writer.finish()).rows).toBe(2);
    expect(entries).toEqual(['{"a":1}\n', '{"b":2}\n']);
  });
});

import { Readable } from 'node:stream';
import type { Session } from '@hisaabo/db';
import { describe, expect, it } from 'vitest';
import { selectLinesSql } from '../src/encode.ts';
import { nextFetchRows, tableLines } from '../src/export-lines.ts';
import type { TableDef } from '../src/table-defs.ts';

// Where a table's lines come from, without a database: pages of COPY bytes after the last id seen,
// sized by the lines seen so far (PGlite), or COPY's raw stream cut at the last newline (PostgreSQL).

const table: TableDef = {
  name: 'items',
  columns: [
    { name: 'tenant_id', type: 'uuid', notNull: true },
    { name: 'id', type: 'uuid', notNull: true },
  ],
};
const TENANT = "'0193a000-0000-7000-8000-00000000000f'::uuid";

/** A uuid whose order is that of `n`. */
const idOf = (n: number) => `0193a000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** Rows of `bodies`, each a line with its id first, as the line query gives them. */
const rowsOf = (bodies: string[]) => bodies.map((body, i) => `{"id":"${idOf(i)}","b":"${body}"}`);

/**
 * A PGlite session over `lines` (in id order) answering each page's COPY, recording every page asked
 * for as [after, rows].
 */
function pagedSession(lines: string[]) {
  const statements: string[] = [];
  const pages: [string | null, number][] = [];
  const session = {
    kind: 'pglite',
    query: async () => [],
    async copyToBytes(text: string) {
      statements.push(text);
      const after = / AND t\.id > '([0-9a-f-]+)'::uuid /.exec(text)?.[1] ?? null;
      const rows = Number(/ LIMIT (\d+)\) TO '\/dev\/blob' /.exec(text)![1]);
      pages.push([after, rows]);
      const from = after === null ? 0 : lines.findIndex((l) => l.includes(`"${after}"`)) + 1;
      return Buffer.from(
        lines
          .slice(from, from + rows)
          .map((l) => `${l}\n`)
          .join(''),
      );
    },
  } as unknown as Session;
  return { session, statements, pages };
}

async function read(source: AsyncIterable<Buffer>): Promise<string[]> {
  const batches: string[] = [];
  for await (const batch of source) batches.push(batch.toString());
  return batches;
}

describe('PGlite fetch size', () => {
  it('starts small, then aims at about 1 MiB a fetch, within 1 and the given most', () => {
    expect(nextFetchRows(0, 5000)).toBe(100);
    expect(nextFetchRows(0, 1)).toBe(1);
    expect(nextFetchRows(64 * 1024, 5000)).toBe(16);
    expect(nextFetchRows(1000, 5000)).toBe(1048);
    expect(nextFetchRows(200, 5000)).toBe(5000);
    expect(nextFetchRows(200, 1)).toBe(1);
    expect(nextFetchRows(200, 7.9)).toBe(7);
    expect(nextFetchRows(4 * 1024 * 1024, 5000)).toBe(1);
    expect(nextFetchRows(100, 0)).toBe(1);
  });
});

describe('PGlite pages of COPY', () => {
  it('copies pages of the line query after the last id seen, until a short page', async () => {
    const lines = rowsOf(Array.from({ length: 250 }, (_, i) => `${i}`));
    const { session, statements, pages } = pagedSession(lines);
    const batches = await read(tableLines(session, table, TENANT, { fetchRows: 5000 }));
    expect(batches.join('')).toBe(lines.map((l) => `${l}\n`).join(''));
    expect(batches.map((b) => b.split('\n').length - 1)).toEqual([100, 150]);
    expect(statements[0]).toBe(
      `COPY (${selectLinesSql(table, TENANT, { afterIdLiteral: null, rows: 100 })}) TO '/dev/blob' WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`,
    );
    // After 100 lines of ~50 bytes, about 1 MiB of them is more than the most: 5000.
    expect(pages).toEqual([
      [null, 100],
      [idOf(99), 5000],
    ]);
  });

  it('sizes each page by the larger of the table average and the last page average', async () => {
    // A line is its body and 53 bytes: the id, the keys, the braces and the newline.
    const small = Array.from({ length: 100 }, () => 'x'.repeat(1024 - 53));
    const large = Array.from({ length: 3 }, () => 'y'.repeat(256 * 1024 - 53));
    const { session, pages } = pagedSession(rowsOf([...small, ...large]));
    const batches = await read(tableLines(session, table, TENANT, { fetchRows: 5000 }));
    expect(batches.map((b) => b.split('\n').length - 1)).toEqual([100, 3]);
    // 1 KiB lines: 1024 rows a page, which returns the 3 large ones and ends the table.
    expect(pages.map(([, rows]) => rows)).toEqual([100, 1024]);
    // Large lines, then small ones: the table's average keeps the page from growing at once.
    const shrinking = pagedSession(
      rowsOf([
        ...Array.from({ length: 100 }, () => 'z'.repeat(10_240 - 53)),
        ...Array.from({ length: 500 }, () => 'w'.repeat(9)),
      ]),
    );
    await read(tableLines(shrinking.session, table, TENANT, { fetchRows: 5000 }));
    // 100 lines of 10,240 bytes, then lines of 62: 1 MiB over the table's average each time.
    expect(shrinking.pages.map(([, rows]) => rows)).toEqual([100, 102, 205, 409]);
    const mixed = pagedSession(rowsOf([...large, ...large, ...small]));
    await read(tableLines(mixed.session, table, TENANT, { fetchRows: 2 }));
    // 2 large lines (256 KiB each): 4 a page would be the size, but at most 2.
    expect(mixed.pages.slice(0, 3).map(([, rows]) => rows)).toEqual([2, 2, 2]);
  });

  it('ends at an empty page, and yields no empty batch', async () => {
    const lines = rowsOf(['1', '2']);
    const { session, pages } = pagedSession(lines);
    const batches = await read(tableLines(session, table, TENANT, { fetchRows: 2 }));
    expect(batches).toEqual([`${lines[0]}\n${lines[1]}\n`]);
    expect(pages).toEqual([
      [null, 2],
      [idOf(1), 2],
    ]);
    const none = pagedSession([]);
    expect(await read(tableLines(none.session, table, TENANT, { fetchRows: 2 }))).toEqual([]);
  });

  it('stops between pages when aborted', async () => {
    const controller = new AbortController();
    const { session } = pagedSession(rowsOf(Array.from({ length: 300 }, () => '')));
    const source = tableLines(session, table, TENANT, { fetchRows: 100, signal: controller.signal });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const batch of source) {
          seen.push(batch.toString());
          controller.abort();
        }
      })(),
    ).rejects.toThrow('export aborted');
    expect(seen).toHaveLength(1);
  });

  it('refuses a session that can copy nothing out', () => {
    const session = { kind: 'pglite', query: async () => [] } as unknown as Session;
    expect(() => tableLines(session, table, TENANT, { fetchRows: 1 })).toThrow(
      'a pglite session can copy no rows out',
    );
  });
});

describe('COPY lines', () => {
  function copySession(chunks: string[]) {
    const statements: string[] = [];
    const session = {
      kind: 'postgres',
      query: async () => [],
      copyOut(text: string) {
        statements.push(text);
        return Readable.from(chunks.map((c) => Buffer.from(c)));
      },
    } as unknown as Session;
    return { session, statements };
  }

  it('copies the line query as CSV that JSON never quotes, cut after the last newline of each piece', async () => {
    const { session, statements } = copySession(['{"a":1}\n{"a"', ':2}\n', '{"a":3}', '\n{"a":4}\n']);
    const batches = await read(tableLines(session, table, TENANT, { fetchRows: 1 }));
    expect(batches).toEqual(['{"a":1}\n', '{"a":2}\n', '{"a":3}\n{"a":4}\n']);
    expect(statements).toEqual([
      `COPY (${selectLinesSql(table, TENANT)}) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`,
    ]);
  });

  it('refuses a last line without its newline', async () => {
    const { session } = copySession(['{"a":1}\n{"a":2}']);
    await expect(read(tableLines(session, table, TENANT, { fetchRows: 1 }))).rejects.toThrow(
      'export of items: the last line has no newline',
    );
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { session } = copySession(['{"a":1}\n']);
    await expect(
      read(tableLines(session, table, TENANT, { fetchRows: 1, signal: controller.signal })),
    ).rejects.toThrow('export aborted');
  });
});

import { Readable } from 'node:stream';
import type { Session } from '@hisaabo/db';
import { describe, expect, it } from 'vitest';
import { selectLinesSql } from '../src/encode.ts';
import { nextFetchRows, tableLines } from '../src/export-lines.ts';
import type { TableDef } from '../src/table-defs.ts';

// Where a table's lines come from, without a database: a cursor fetched in batches sized by the
// lines seen so far (PGlite), or COPY's raw bytes cut at the last newline (PostgreSQL).

const table: TableDef = {
  name: 'items',
  columns: [
    { name: 'tenant_id', type: 'uuid', notNull: true },
    { name: 'id', type: 'uuid', notNull: true },
  ],
};
const TENANT = "'0193a000-0000-7000-8000-00000000000f'::uuid";

/** A cursor session over `lines`, recording every statement. */
function cursorSession(lines: string[]) {
  const statements: string[] = [];
  let at = 0;
  const session = {
    kind: 'pglite',
    async query(text: string) {
      statements.push(text);
      const fetch = /^FETCH FORWARD (\d+) FROM backup_items$/.exec(text);
      if (!fetch) return [];
      const rows = lines.slice(at, at + Number(fetch[1])).map((line) => ({ line }));
      at += rows.length;
      return rows;
    },
  } as unknown as Session;
  return { session, statements };
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

describe('cursor lines', () => {
  it('declares a cursor on the line query, fetches until a short batch, then closes it', async () => {
    const lines = Array.from({ length: 250 }, (_, i) => `{"n":${i}}`);
    const { session, statements } = cursorSession(lines);
    const batches = await read(tableLines(session, table, TENANT, { fetchRows: 5000 }));
    expect(batches.join('')).toBe(lines.map((l) => `${l}\n`).join(''));
    expect(batches.map((b) => b.split('\n').length - 1)).toEqual([100, 150]);
    expect(statements[0]).toBe(`DECLARE backup_items NO SCROLL CURSOR FOR ${selectLinesSql(table, TENANT)}`);
    // After 100 lines of ~9 bytes, about 1 MiB of them is more than the most: 5000.
    expect(statements.slice(1)).toEqual([
      'FETCH FORWARD 100 FROM backup_items',
      'FETCH FORWARD 5000 FROM backup_items',
      'CLOSE backup_items',
    ]);
  });

  it('sizes each fetch by the larger of the table average and the last batch average', async () => {
    const small = Array.from({ length: 100 }, () => 'x'.repeat(1023));
    const large = Array.from({ length: 3 }, () => 'y'.repeat(256 * 1024 - 1));
    const { session, statements } = cursorSession([...small, ...large]);
    const batches = await read(tableLines(session, table, TENANT, { fetchRows: 5000 }));
    expect(batches.map((b) => b.split('\n').length - 1)).toEqual([100, 3]);
    // 1 KiB lines: 1024 rows a fetch, which returns the 3 large ones and ends the table.
    expect(statements.filter((s) => s.startsWith('FETCH'))).toEqual([
      'FETCH FORWARD 100 FROM backup_items',
      'FETCH FORWARD 1024 FROM backup_items',
    ]);
    // Large lines, then small ones: the table's average keeps the fetch from growing at once.
    const shrinking = cursorSession([
      ...Array.from({ length: 100 }, () => 'z'.repeat(10_239)),
      ...Array.from({ length: 500 }, () => 'w'.repeat(9)),
    ]);
    await read(tableLines(shrinking.session, table, TENANT, { fetchRows: 5000 }));
    expect(shrinking.statements.filter((s) => s.startsWith('FETCH'))).toEqual(
      [100, 102, 206, 416].map((n) => `FETCH FORWARD ${n} FROM backup_items`),
    );
    const mixed = cursorSession([...large, ...large, ...small]);
    await read(tableLines(mixed.session, table, TENANT, { fetchRows: 2 }));
    // 2 large lines (256 KiB each): 4 a fetch would be the size, but at most 2.
    expect(mixed.statements.filter((s) => s.startsWith('FETCH')).slice(0, 3)).toEqual([
      'FETCH FORWARD 2 FROM backup_items',
      'FETCH FORWARD 2 FROM backup_items',
      'FETCH FORWARD 2 FROM backup_items',
    ]);
  });

  it('ends at an empty fetch, and yields no empty batch', async () => {
    const { session, statements } = cursorSession(['{"a":1}', '{"a":2}']);
    const batches = await read(tableLines(session, table, TENANT, { fetchRows: 2 }));
    expect(batches).toEqual(['{"a":1}\n{"a":2}\n']);
    expect(statements.slice(1)).toEqual([
      'FETCH FORWARD 2 FROM backup_items',
      'FETCH FORWARD 2 FROM backup_items',
      'CLOSE backup_items',
    ]);
    const none = cursorSession([]);
    expect(await read(tableLines(none.session, table, TENANT, { fetchRows: 2 }))).toEqual([]);
  });

  it('stops between fetches when aborted', async () => {
    const controller = new AbortController();
    const { session } = cursorSession(Array.from({ length: 300 }, () => '{}'));
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

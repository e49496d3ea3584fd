import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryRows } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExportSummary, restoreTenant, verifyArchive } from '../src/index.ts';
import { nextFetchRows } from '../src/export.ts';
import { createTenant } from './support/rich-organization.ts';
import { tenantRowCount } from './support/tenant-rows.ts';

const child = fileURLToPath(new URL('./export-memory/child.ts', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'export-memory-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const INVOICES = 1000;
const NOTE_BYTES = 64 * 1024;
// 1,000 notes of 64 KB are 64 MB of text: as much as the whole heap the child is given, so the
// export passes only if it never holds most of a table's lines at once.
const HEAP_MB = 64;

function exportInSmallHeap(archivePath: string): Promise<{ tenantId: string; summary: ExportSummary }> {
  const args = [
    `--max-old-space-size=${HEAP_MB}`,
    '--import',
    'tsx',
    child,
    archivePath,
    `${INVOICES}`,
    `${NOTE_BYTES}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`export child failed: ${error.message}\n${stderr.slice(-2000)}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

describe('PGlite export of large rows', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.close();
  });

  it(`exports ${INVOICES} invoices with ${NOTE_BYTES / 1024} KB notes in a ${HEAP_MB} MB heap, and the archive restores`, async () => {
    const archivePath = path.join(scratch, 'large-rows.tar.gz');
    const { summary } = await exportInSmallHeap(archivePath);
    expect(summary.tables.invoices!.rows).toBeGreaterThan(INVOICES);
    expect(summary.tables.invoices!.bytes).toBeGreaterThan(INVOICES * NOTE_BYTES);

    const verified = await verifyArchive(createReadStream(archivePath));
    expect(verified.errors).toEqual([]);
    expect(verified.ok).toBe(true);

    for (const backend of testBackends()) {
      const database = await backend.create();
      databases.push(database);
      const target = await createTenant(database);
      await restoreTenant(database, target.id, createReadStream(archivePath));
      expect(await tenantRowCount(database, target.id), backend.kind).toBe(summary.totalRows);
      const notes = await queryRows<{ n: number; shortest: number }>(
        database.db,
        sql`SELECT count(*)::int AS n, min(length(notes))::int AS shortest FROM invoices
            WHERE tenant_id = ${target.id}::uuid AND number LIKE 'BULK-%'`,
      );
      expect(notes[0], backend.kind).toEqual({ n: INVOICES, shortest: NOTE_BYTES });
    }
  }, 180_000);
});

describe('PGlite fetch size', () => {
  it('starts small, then aims at about 1 MiB a fetch, within 1 and the given most', () => {
    expect(nextFetchRows(0, 5000)).toBe(100);
    expect(nextFetchRows(0, 1)).toBe(1);
    expect(nextFetchRows(64 * 1024, 5000)).toBe(16);
    expect(nextFetchRows(200, 5000)).toBe(5000);
    expect(nextFetchRows(200, 1)).toBe(1);
    expect(nextFetchRows(4 * 1024 * 1024, 5000)).toBe(1);
    expect(nextFetchRows(100, 0)).toBe(1);
  });
});

import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../src/index.ts';

const FIXTURE = new URL('./fixtures/schema-v1-rich.tar.gz', import.meta.url);

describe('verify without a database', () => {
  it('accepts a stored archive of an older schema and says a restore will upgrade it', async () => {
    const report = await verifyArchive(createReadStream(FIXTURE));
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.manifest?.source.slug).toBe('chai-and-sons');
    expect(report.tables.invoices?.rows).toBeGreaterThan(0);
    expect(report.warnings.some((w) => w.message.startsWith('a restore will upgrade the archive'))).toBe(
      true,
    );
  });

  it('reports an altered table entry, naming the table, instead of throwing', async () => {
    const tar = gunzipSync(await readFile(FIXTURE));
    // Flip one byte inside the first table entry's data (after the manifest's header and body).
    const at = tar.indexOf(Buffer.from('"id":"'), tar.indexOf(Buffer.from('ndjson')) + 512);
    expect(at).toBeGreaterThan(0);
    tar[at + 6] = tar[at + 6] === 0x30 ? 0x31 : 0x30;
    const report = await verifyArchive(Readable.from([gzipSync(tar)]));
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatchObject({
      table: 'businesses',
      message: expect.stringContaining('SHA-256 differs from the index'),
    });
  });
});

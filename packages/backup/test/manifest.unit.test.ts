import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkEntryName, indexSchema, manifestSchema, parseChunkEntryName } from '../src/manifest.ts';
import { readEntries } from './support/archive.ts';

// The manifest and index as the schemas read them: the stored archive's pass, and each field that
// is not exactly what the exporter writes is refused with its words.

let manifest: Record<string, unknown>;
let index: Record<string, unknown>;
beforeAll(async () => {
  const entries = await readEntries(
    await readFile(new URL('./fixtures/schema-v1-rich.tar.gz', import.meta.url)),
  );
  const json = (name: string) => JSON.parse(entries.find((e) => e.name === name)!.body.toString());
  manifest = json('manifest.json');
  index = json('index.json');
});

const HEX = 'ab'.repeat(32);
const problems = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((i) => i.message);

describe('manifest and index schemas', () => {
  it('read the stored archive', () => {
    expect(manifestSchema.safeParse(manifest).success).toBe(true);
    expect(indexSchema.safeParse(index).success).toBe(true);
  });

  it('hashes: exactly 64 lowercase hex digits, nothing before or after', () => {
    for (const sha256 of [`0${HEX}`, `${HEX}0`, HEX.toUpperCase()]) {
      const altered = { ...index, manifest: { bytes: 1, sha256 } };
      expect(problems(indexSchema.safeParse(altered)), sha256).toEqual(['a lowercase hex SHA-256']);
    }
    for (const schemaChecksum of [`xsha256:${HEX}`, `sha256:${HEX}0`]) {
      expect(manifestSchema.safeParse({ ...manifest, schemaChecksum }).success, schemaChecksum).toBe(false);
    }
    expect(manifestSchema.safeParse({ ...manifest, schemaChecksum: `sha256:${HEX}` }).success).toBe(true);
  });

  it('table names: lowercase SQL identifiers, nothing before or after', () => {
    const [first, ...rest] = index.entries as Record<string, unknown>[];
    for (const table of ['Invoices', '1invoices', 'invoices!', 'in voices']) {
      const altered = { ...index, entries: [{ ...first, table }, ...rest] };
      expect(problems(indexSchema.safeParse(altered)), table).toEqual(['a lowercase SQL identifier']);
    }
  });

  it('exportedAt: a UTC instant with 6 fractional digits, nothing before or after', () => {
    for (const exportedAt of [
      'x2026-11-25T15:14:10.171000Z',
      '2026-11-25T15:14:10.171000Zx',
      '2026-11-25T15:14:10Z',
    ]) {
      expect(manifestSchema.safeParse({ ...manifest, exportedAt }).success, exportedAt).toBe(false);
    }
  });
});

describe('chunk entry names', () => {
  it('names the first chunk of a table after the table, later ones with their number', () => {
    expect(chunkEntryName('invoices', 1)).toBe('invoices.ndjson');
    expect(chunkEntryName('invoices', 3)).toBe('invoices.3.ndjson');
  });

  it('reads back exactly the names it writes', () => {
    expect(parseChunkEntryName('invoices.ndjson')).toEqual({ table: 'invoices', chunk: 1 });
    expect(parseChunkEntryName('invoice_items.2.ndjson')).toEqual({ table: 'invoice_items', chunk: 2 });
    expect(parseChunkEntryName('invoices.10.ndjson')).toEqual({ table: 'invoices', chunk: 10 });
    expect(parseChunkEntryName('invoices.123456789.ndjson')).toEqual({ table: 'invoices', chunk: 123456789 });
    for (const name of [
      'invoices.1.ndjson',
      'invoices.0.ndjson',
      'invoices.01.ndjson',
      'invoices.1234567890.ndjson',
      'invoices.ndjson.gz',
      'x.invoices.ndjson'.replace('x.', 'X'),
      '-invoices.ndjson',
      'invoices.json',
    ]) {
      expect(parseChunkEntryName(name), name).toBeNull();
    }
  });
});

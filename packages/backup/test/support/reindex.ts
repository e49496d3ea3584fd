import { createHash } from 'node:crypto';
import type { EntrySpec, TarEntry } from './archive.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Rewrites index.json so it matches the (altered) entries: lets a test break exactly one rule of an
 * archive while every hash stays right.
 */
export function reindex(entries: TarEntry[]): EntrySpec[] {
  const manifest = entries.find((e) => e.name === 'manifest.json')!;
  const tables = entries.filter((e) => e.name.endsWith('.ndjson'));
  const index = {
    manifest: { bytes: manifest.body.length, sha256: sha(manifest.body) },
    entries: tables.map((e) => {
      const [table, chunk] = e.name.replace(/\.ndjson$/, '').split('.');
      return {
        name: e.name,
        table: table!,
        chunk: chunk ? Number(chunk) : 1,
        rows: e.body.toString('utf8').split('\n').filter(Boolean).length,
        bytes: e.body.length,
        sha256: sha(e.body),
      };
    }),
    tables: {} as Record<string, { rows: number; bytes: number; sha256: string }>,
  };
  const byTable = new Map<string, Buffer[]>();
  for (const e of index.entries)
    byTable.set(e.table, [...(byTable.get(e.table) ?? []), tables.find((t) => t.name === e.name)!.body]);
  for (const [table, bodies] of byTable) {
    const body = Buffer.concat(bodies);
    index.tables[table] = {
      rows: body.toString('utf8').split('\n').filter(Boolean).length,
      bytes: body.length,
      sha256: sha(body),
    };
  }
  return [
    ...entries.filter((e) => e.name !== 'index.json').map((e) => ({ name: e.name, body: e.body })),
    { name: 'index.json', body: `${JSON.stringify(index)}\n` },
  ];
}

/** The entries with one entry's body replaced. */
export function replaceBody(entries: TarEntry[], name: string, change: (body: string) => string): TarEntry[] {
  return entries.map((e) =>
    e.name === name ? { ...e, body: Buffer.from(change(e.body.toString('utf8'))) } : e,
  );
}

import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { Database } from '@hisaabo/db';
import { type ExportSummary, exportTenant } from '../../src/index.ts';

export async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

export async function exportToBuffer(
  database: Database,
  tenantId: string,
  options: Parameters<typeof exportTenant>[2] = {},
): Promise<{ archive: Buffer; summary: ExportSummary }> {
  const handle = exportTenant(database, tenantId, options);
  const archive = await collect(handle.stream);
  return { archive, summary: await handle.done };
}

export interface TarEntry {
  name: string;
  body: Buffer;
  header: tar.Header;
}

/** Every entry of a .tar.gz, in order (test helper: archives here are small). */
export async function readEntries(archive: Buffer): Promise<TarEntry[]> {
  const extract = tar.extract();
  const entries: TarEntry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      entries.push({
        name: entry.header.name,
        header: entry.header,
        body: await collect(entry as unknown as Readable),
      });
    }
  })();
  extract.end(gunzipSync(archive));
  await done;
  return entries;
}

export type EntrySpec = { name: string; body: Buffer | string; header?: Partial<tar.Header> };

/** Builds a .tar.gz from entries, for crafting hostile or altered archives. */
export async function writeArchive(entries: EntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const out = collect(pack as unknown as Readable);
  for (const entry of entries) {
    const body = typeof entry.body === 'string' ? Buffer.from(entry.body) : entry.body;
    await new Promise<void>((resolve, reject) =>
      pack.entry({ mtime: new Date(0), ...entry.header, name: entry.name }, body, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
  }
  pack.finalize();
  return gzipSync(await out);
}

export const toStream = (bytes: Buffer): Readable => Readable.from([bytes]);

/** The table entries of an archive (everything but manifest.json and index.json). */
export function tableEntries(entries: TarEntry[]): Map<string, Buffer> {
  return new Map(entries.filter((e) => e.name.endsWith('.ndjson')).map((e) => [e.name, e.body]));
}

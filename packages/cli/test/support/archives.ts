import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import tar from 'tar-stream';
import { exportTenant } from '@hisaabo/backup';
import { type Database, tenants } from '@hisaabo/db';
import { seedDemoOrganization } from '@hisaabo/domain';

/** Inserts an organization row directly (what tenant.create does, without a member). */
export async function insertTenant(database: Database, slug: string): Promise<string> {
  const [row] = await database.db
    .insert(tenants)
    .values({ name: `Org ${slug}`, slug })
    .returning({ id: tenants.id });
  return row!.id;
}

/** A small but complete organization: every document type, payments, recurring templates. */
export async function seedSmall(database: Database, tenantId: string, invoices = 40): Promise<void> {
  await seedDemoOrganization(database, { tenantId, invoices, seed: 'cli-tests' });
}

export async function exportToFile(database: Database, tenantId: string, file: string): Promise<void> {
  const handle = exportTenant(database, tenantId);
  await pipeline(handle.stream, createWriteStream(file));
  await handle.done;
}

/** Every entry of a .tar.gz as name → bytes. */
export async function readArchive(file: string): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      entries.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  await pipeline(createReadStream(file), createGunzip(), extract);
  return entries;
}

/** The table entries only: manifest and index name the source organization, the rows do not. */
export async function tableEntries(file: string): Promise<Map<string, Buffer>> {
  const entries = await readArchive(file);
  for (const name of [...entries.keys()]) if (!name.endsWith('.ndjson')) entries.delete(name);
  return entries;
}

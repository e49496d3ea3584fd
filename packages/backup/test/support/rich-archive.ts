import type { TestBackend, TestDatabase } from '@hisaabo/db/testing';
import { type TarEntry, exportToBuffer, readEntries } from './archive.ts';
import { createTenant, seedRichOrganization } from './rich-organization.ts';

/** A fresh database holding one rich organization, with that organization's archive and its entries. */
export async function richArchive(
  backend: TestBackend,
): Promise<{ database: TestDatabase; archive: Buffer; entries: TarEntry[] }> {
  const database = await backend.create();
  const source = await createTenant(database);
  await seedRichOrganization(database, source.id);
  const { archive } = await exportToBuffer(database, source.id);
  return { database, archive, entries: await readEntries(archive) };
}

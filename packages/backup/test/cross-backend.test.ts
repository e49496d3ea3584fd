import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreTenant } from '../src/index.ts';
import { exportToBuffer, readEntries, tableEntries, toStream } from './support/archive.ts';
import { createTenant, seedRichOrganization } from './support/rich-organization.ts';

// The same data gives the same bytes whichever backend holds it: an organization seeded on PGlite,
// restored on every backend (PostgreSQL too when configured) and exported there, is the same archive.
describe('the same data exports to the same bytes on every backend', () => {
  const databases: TestDatabase[] = [];
  beforeAll(async () => {
    for (const backend of testBackends()) databases.push(await backend.create());
  });
  afterAll(async () => {
    for (const database of databases) await database.close();
  });

  it('PGlite and PostgreSQL', async () => {
    const origin = databases[0]!;
    const source = await createTenant(origin);
    await seedRichOrganization(origin, source.id);
    const { archive } = await exportToBuffer(origin, source.id);
    const expected = tableEntries(await readEntries(archive));
    for (const database of databases) {
      const target = await createTenant(database);
      await restoreTenant(database, target.id, toStream(archive));
      const actual = tableEntries(await readEntries((await exportToBuffer(database, target.id)).archive));
      for (const [name, body] of expected)
        expect(actual.get(name)?.equals(body), `${database.kind} ${name}`).toBe(true);
    }
  });
});

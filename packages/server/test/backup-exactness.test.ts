import { testBackends } from '@hisaabo/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEntries, writeArchive } from '../../backup/test/support/archive.ts';
import { reindex, replaceBody } from '../../backup/test/support/reindex.ts';
import { tenantRowCount } from '../../backup/test/support/tenant-rows.ts';
import { BACKUP_ENV, exportArchive, requestImport, seedBusiness, upload } from './backup-support.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { registerOwner, type TestTenant, type TestUser } from './support/trpc.ts';

for (const backend of testBackends()) {
  describe(`archives the database could not store exactly are refused over HTTP (${backend.kind})`, () => {
    let server: TestServer;
    let owner: TestUser;
    let org: TestTenant;

    beforeAll(async () => {
      server = await startTestServer(backend, { env: BACKUP_ENV });
      ({ owner, org } = await registerOwner(server.url));
      await seedBusiness(server.database.db, org.id);
    });
    afterAll(() => server?.close());

    it('a jsonb value nested 5,000 deep answers 422 with its place, not 500', async () => {
      const entries = await readEntries(await exportArchive(server.url, owner.token, org.id));
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const altered = replaceBody(entries, 'businesses.ndjson', (b) =>
        b.replace('"settings":{}', `"settings":${deep}`),
      );
      const { owner: user, org: target } = await registerOwner(server.url);
      const link = (await requestImport(server.url, user.token, target.id)).data;
      const refused = await upload(server.url, link.url, Buffer.from(await writeArchive(reindex(altered))));
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        ok: false,
        error: 'INVALID_ARCHIVE',
        errors: [
          expect.objectContaining({
            table: 'businesses',
            line: 1,
            column: 'settings',
            message: expect.stringMatching(/at most 64 levels deep/),
          }),
        ],
      });
      expect(await tenantRowCount(server.database, target.id)).toBe(0);
    });
  });
}

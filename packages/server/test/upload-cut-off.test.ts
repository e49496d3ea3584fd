import { request } from 'node:http';
import { testBackends } from '@hisaabo/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantRowCount } from '../../backup/test/support/tenant-rows.ts';
import { BACKUP_ENV, exportArchive, requestImport, seedBusiness } from './backup-support.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { createTenant, ok, registerOwner } from './support/trpc.ts';

interface HistoryEntry {
  kind: string;
  outcome: string;
  error: string | null;
}

/** Sends the first part of a body and then nothing more, until the server cuts the connection. */
function stallingUpload(url: string, firstPart: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/gzip', 'transfer-encoding': 'chunked' },
    });
    req.on('error', () => resolve());
    req.on('response', (response) => {
      response.resume();
      response.on('end', resolve);
      response.on('error', () => resolve());
    });
    req.on('close', resolve);
    req.write(firstPart);
  });
}

for (const backend of testBackends()) {
  describe(`an upload cut off by the server's timeout (${backend.kind})`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(backend, {
        env: BACKUP_ENV,
        serverOptions: { requestTimeout: 2_000, connectionsCheckingInterval: 200 },
      });
    });
    afterAll(() => server?.close());

    it('is recorded as timed out, not as a corrupt archive', async () => {
      const { owner, org: source } = await registerOwner(server.url);
      await seedBusiness(server.database.db, source.id);
      const archive = await exportArchive(server.url, owner.token, source.id);
      const target = await createTenant(server.url, owner.token);
      const link = (await requestImport(server.url, owner.token, target.id)).data;

      await stallingUpload(`${server.url}${link.url}`, archive.subarray(0, Math.floor(archive.length / 2)));

      let events: HistoryEntry[] = [];
      for (let i = 0; i < 100; i++) {
        ({ events } = await ok<{ events: HistoryEntry[] }>(
          server.url,
          'backup.history',
          { tenantId: target.id },
          { token: owner.token },
        ));
        if (events[0]?.outcome === 'failed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(events).toEqual([expect.objectContaining({ kind: 'restore', outcome: 'failed' })]);
      expect(events[0]!.error).toMatch(
        /^The upload timed out after \d+ bytes, before the archive was complete/,
      );
      expect(await tenantRowCount(server.database, target.id)).toBe(0);
    });
  });
}

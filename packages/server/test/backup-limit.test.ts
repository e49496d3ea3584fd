import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupEvents } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { startTestServer, type TestServer } from './support/server.ts';
import { call, createTenant, ok, registerOwner, type TestTenant, type TestUser } from './support/trpc.ts';
import { BACKUP_ENV, type BackupLink, requestExport, seedBusiness } from './backup-support.ts';

const NEXT_EXPORT =
  /^Export limit reached: 2 exports per organization per 24 hours\. The next export is possible at (\S+)\.$/;

for (const backend of testBackends()) {
  describe(`export limit: 2 per organization per 24 hours (${backend.kind})`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let owner: TestUser;
    let org: TestTenant;

    beforeAll(async () => {
      database = await backend.create();
      server = await startTestServer(backend, { database, env: BACKUP_ENV });
      ({ owner, org } = await registerOwner(server.url));
      await seedBusiness(database.db, org.id);
    });
    afterAll(async () => {
      await server?.close();
      await database?.close();
    });

    it('counts downloads, not links: of eight links issued at once, only two downloads run', async () => {
      // Failed downloads in the window do not count.
      await database.db.insert(backupEvents).values([
        { tenantId: org.id, userId: owner.id, kind: 'export', outcome: 'failed' },
        { tenantId: org.id, userId: owner.id, kind: 'export', outcome: 'failed' },
      ]);
      const links: BackupLink[] = [];
      for (let i = 0; i < 8; i++) {
        const requested = await requestExport(server.url, owner.token, org.id);
        expect(requested.status, `link ${i + 1}`).toBe(200);
        links.push(requested.data);
      }
      // Open every pooled connection first, so the downloads really start side by side.
      await Promise.all(Array.from({ length: 8 }, () => database.db.execute(sql`SELECT pg_sleep(0.05)`)));
      const answers = await Promise.all(
        links.map(async (link) => {
          const response = await fetch(`${server.url}${link.url}`);
          const body = Buffer.from(await response.arrayBuffer());
          return { status: response.status, body };
        }),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429, 429, 429, 429, 429, 429]);
      const refused = JSON.parse(answers.find((a) => a.status === 429)!.body.toString()) as {
        error: string;
        message: string;
      };
      expect(refused.error).toBe('TOO_MANY_REQUESTS');
      expect(refused.message).toMatch(NEXT_EXPORT);

      const third = await requestExport(server.url, owner.token, org.id);
      expect(third.status).toBe(429);
      expect(third.error?.data.code).toBe('TOO_MANY_REQUESTS');
      const nextAt = NEXT_EXPORT.exec(third.error!.message)![1]!;
      const wait = Date.parse(nextAt) - Date.now();
      expect(wait).toBeGreaterThan(23.9 * 3600_000);
      expect(wait).toBeLessThanOrEqual(24 * 3600_000);

      const history = await ok<{
        events: { kind: string; outcome: string }[];
        exportLimit: { limit: number; remaining: number; used: number; nextAllowedAt: string };
      }>(server.url, 'backup.history', { tenantId: org.id, kind: 'export' }, { token: owner.token });
      expect(history.exportLimit).toEqual({
        limit: 2,
        windowHours: 24,
        used: 2,
        remaining: 0,
        nextAllowedAt: nextAt,
      });
      // A download's outcome is written once its last byte has left, just after the client has it:
      // wait for both to be written rather than race them.
      await expect
        .poll(
          async () => {
            const latest = await ok<{ events: { outcome: string }[] }>(
              server.url,
              'backup.history',
              { tenantId: org.id, kind: 'export' },
              { token: owner.token },
            );
            return latest.events.filter((e) => e.outcome === 'succeeded').length;
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBe(2);
    });

    it('still refuses the third export after a restart (a new server on the same database)', async () => {
      await server.close();
      server = await startTestServer(backend, { database, env: BACKUP_ENV });
      const afterRestart = await call(
        server.url,
        'selfExport.request',
        { tenantId: org.id },
        { token: owner.token },
      );
      expect(afterRestart.status).toBe(429);
      expect(afterRestart.error?.message).toMatch(NEXT_EXPORT);

      // Another organization of the same owner has its own allowance.
      const second = await createTenant(server.url, owner.token);
      expect((await requestExport(server.url, owner.token, second.id)).status).toBe(200);
    });
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  citusTestsEnabled,
  createCitusDatabase,
  createPostgresDatabase,
  type TestDatabase,
} from '@hisaabo/db/testing';
import { call, createTenant, ok, registerOwner, registerUser, type TestUser } from './support/trpc.ts';
import { type BackupLink, seedBusiness, upload } from './backup-support.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from './support/server-process.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

// The same on one PostgreSQL and on a Citus cluster (the processes both talk to the coordinator).
const clusters = [
  { name: 'PostgreSQL', enabled: Boolean(adminUrl), create: () => createPostgresDatabase(adminUrl!) },
  { name: 'Citus', enabled: citusTestsEnabled(), create: createCitusDatabase },
];

for (const cluster of clusters)
  describe.runIf(cluster.enabled)(`two server processes on one ${cluster.name} database`, () => {
    let database: TestDatabase;
    let dataDir: string;
    let a: ServerProcess;
    let b: ServerProcess;
    let owner: TestUser;

    beforeAll(async () => {
      database = await cluster.create();
      dataDir = mkdtempSync(path.join(tmpdir(), 'hisaabo-processes-'));
      [a, b] = await Promise.all([
        startServerProcess(database.url!, dataDir),
        startServerProcess(database.url!, dataDir),
      ]);
      owner = await registerUser(a.url);
    });
    afterAll(async () => {
      await Promise.all([stopServerProcess(a?.child), stopServerProcess(b?.child)]);
      await database?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('lets exactly one of two processes use a link, for downloads and for uploads', async () => {
      const org = await createTenant(a.url, owner.token);
      await seedBusiness(database.db, org.id);
      // Issued by one process, honoured by the other: the secret and the token record are shared.
      const exportLink = await ok<BackupLink>(
        b.url,
        'selfExport.request',
        { tenantId: org.id },
        { token: owner.token },
      );
      const downloads = await Promise.all(
        [a, b].map(async (server) => {
          const response = await fetch(`${server.url}${exportLink.url}`);
          return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
        }),
      );
      expect(downloads.map((d) => d.status).sort()).toEqual([200, 401]);
      const archive = downloads.find((d) => d.status === 200)!.body;
      const refused = JSON.parse(downloads.find((d) => d.status === 401)!.body.toString()) as {
        error: string;
      };
      expect(refused.error).toBe('TOKEN_USED');

      const { owner: restorer, org: target } = await registerOwner(b.url);
      const importLink = await ok<BackupLink>(
        a.url,
        'selfImport.request',
        { tenantId: target.id },
        {
          token: restorer.token,
        },
      );
      const uploads = await Promise.all([a, b].map((server) => upload(server.url, importLink.url, archive)));
      expect(uploads.map((u) => u.status).sort()).toEqual([200, 401]);
      expect(uploads.find((u) => u.status === 401)!.body.error).toBe('TOKEN_USED');
      expect(uploads.find((u) => u.status === 200)!.body).toMatchObject({
        ok: true,
        rowsInserted: { parties: 2 },
      });
    });

    it('shares the export limit between processes', async () => {
      const org = await createTenant(a.url, owner.token);
      for (const [issuer, downloader] of [
        [a, b],
        [b, a],
      ] as const) {
        const link = await ok<BackupLink>(
          issuer.url,
          'selfExport.request',
          { tenantId: org.id },
          { token: owner.token },
        );
        const response = await fetch(`${downloader.url}${link.url}`);
        await response.arrayBuffer();
        expect(response.status).toBe(200);
      }
      for (const server of [a, b]) {
        const third = await call(
          server.url,
          'selfExport.request',
          { tenantId: org.id },
          { token: owner.token },
        );
        expect(third.status).toBe(429);
      }
    });
  });

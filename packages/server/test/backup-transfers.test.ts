import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { seedDemoOrganization } from '@hisaabo/domain';
import { SpoolDirectory } from '../src/backup/spool.ts';
import { ActiveTransfers } from '../src/backup/transfers.ts';
import { BACKUP_ENV, type BackupLink, requestExport, requestImport } from './backup-support.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { createTenant, ok, registerOwner, type TestTenant, type TestUser } from './support/trpc.ts';

// Large enough (~2 MB) that a client reading half of it leaves far more unsent than socket buffers hold.
const INVOICES = 4000;
const IDLE_SECONDS = 2;

interface HistoryEntry {
  kind: string;
  outcome: string;
  error: string | null;
  bytes: number | null;
}

/** GET over node:http, reading until `stopAfter` bytes and then closing the connection. */
function downloadPart(url: string, stopAfter: number): Promise<{ status: number; received: number }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= stopAfter) {
          request.destroy();
          resolve({ status: response.statusCode ?? 0, received });
        }
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, received }));
    });
    request.on('error', (error) => {
      if (!request.destroyed) reject(error);
    });
  });
}

/**
 * A download whose client takes the headers and one chunk, then reads nothing more. Driven through
 * the app's own fetch handler: over a socket, the kernel's buffers would swallow megabytes before
 * the server noticed anything, so a stall could not be staged with a test-sized organization.
 */
async function stallDownload(server: TestServer, url: string): Promise<{ status: number }> {
  const response = await server.app.fetch(new Request(`${server.url}${url}`));
  const reader = response.body!.getReader();
  await reader.read();
  return { status: response.status };
}

/**
 * Seeding an embedded database blocks this process's event loop for a while; keep-alive connections
 * that timed out meanwhile are closed by the server just as the client reuses them. One throwaway
 * request lets the client notice before the test's own requests go out.
 */
async function afterBlockingWork(url: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 200));
  await fetch(`${url}/api/health`).catch(() => {});
}

/**
 * POSTs an upload that sends `start` (by default gzip's header) and then nothing more, keeping the
 * connection open: resolves with the server's answer.
 */
function stalledUpload(
  url: string,
  start = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]),
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/gzip' } },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.write(start);
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const backend of testBackends()) {
  describe(`backup transfers: counting, idle clients, spooling, stopping (${backend.kind})`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let owner: TestUser;
    let org: TestTenant;
    let spoolDir: string;
    let spool: SpoolDirectory;
    const transfers = new ActiveTransfers();
    const spooled = () => (backend.kind === 'pglite' ? spool.files() : []);

    const history = async (tenantId = org.id) =>
      (
        await ok<{ events: HistoryEntry[] }>(
          server.url,
          'backup.history',
          { tenantId },
          { token: owner.token },
        )
      ).events;

    beforeAll(async () => {
      database = await backend.create();
      spoolDir = mkdtempSync(path.join(tmpdir(), 'transfers-spool-'));
      spool = new SpoolDirectory(spoolDir);
      server = await startTestServer(backend, {
        database,
        env: { ...BACKUP_ENV, HISAABO_IDLE_TRANSFER_TIMEOUT: String(IDLE_SECONDS) },
        transfers,
        spool: backend.kind === 'pglite' ? spool : undefined,
      });
      ({ owner, org } = await registerOwner(server.url));
      await seedDemoOrganization(database, { tenantId: org.id, invoices: INVOICES, seed: 'transfers' });
      await afterBlockingWork(server.url);
    }, 180_000);
    afterAll(async () => {
      await server?.close();
      await database?.close();
      rmSync(spoolDir, { recursive: true, force: true });
    });

    it('a preflight check answers without spending the link or counting an export', async () => {
      const link = (await requestExport(server.url, owner.token, org.id)).data;
      const check = await fetch(`${server.url}${link.url}&check=1`);
      expect(check.status).toBe(204);
      expect(await history()).toEqual([]);
      const forged = await fetch(`${server.url}${link.url.replace(/token=./, 'token=x')}&check=1`);
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ error: 'TOKEN_INVALID' });

      // The checked link still downloads, in full, and leaves no spooled file behind.
      const full = await fetch(`${server.url}${link.url}`);
      expect(full.status).toBe(200);
      const bytes = (await full.arrayBuffer()).byteLength;
      expect(bytes).toBeGreaterThan(1_000_000);
      const [entry] = await waitFor('the outcome', async () => {
        const events = await history();
        return events[0]?.outcome === 'running' ? undefined : events;
      });
      expect(entry).toMatchObject({ kind: 'export', outcome: 'succeeded', bytes });
      expect(spooled()).toEqual([]);
    });

    it('a download closed before its end still counts against the limit, and says so', async () => {
      const link = (await requestExport(server.url, owner.token, org.id)).data;
      const part = await downloadPart(`${server.url}${link.url}`, 600_000);
      expect(part.status).toBe(200);
      const [entry] = await waitFor('the outcome', async () => {
        const events = await history();
        return events[0]?.outcome === 'running' ? undefined : events;
      });
      expect(entry!.outcome).toBe('cancelled');
      expect(entry!.error).toMatch(/^stopped by the client after \d+ bytes \(counted against the limit\)$/);
      // The first download and this one: the limit of 2 is reached.
      const third = await requestExport(server.url, owner.token, org.id);
      expect(third.status).toBe(429);
      await waitFor('the spool to be emptied', async () => (spooled().length === 0 ? true : undefined));
    });

    describe('with a fresh organization', () => {
      let other: TestTenant;
      beforeAll(async () => {
        other = await createTenant(server.url, owner.token);
        await seedDemoOrganization(database, { tenantId: other.id, invoices: INVOICES, seed: 'stall' });
        await afterBlockingWork(server.url);
      }, 180_000);

      it('cuts off a client that stops reading, records it as counted, and frees what it held', async () => {
        const link: BackupLink = (await requestExport(server.url, owner.token, other.id)).data;
        const stalled = await stallDownload(server, link.url);
        expect(stalled.status).toBe(200);
        const [entry] = await waitFor('the outcome', async () => {
          const events = await history(other.id);
          return events[0]?.outcome === 'running' ? undefined : events;
        });
        expect(entry!.outcome).toBe('cancelled');
        expect(entry!.error).toMatch(
          new RegExp(`^cut off: the client read nothing for ${IDLE_SECONDS} s, after \\d+ bytes`),
        );
        expect(spooled()).toEqual([]);
        if (database.driver.kind === 'postgres') {
          // Its connection went back to the pool.
          const pool = database.driver.pool;
          await waitFor('the connection back in the pool', async () =>
            pool.idleCount === pool.totalCount ? true : undefined,
          );
        }
        // The database is free for everyone else.
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      });

      it('cuts off an upload that stops sending: nothing imported, history says so, no file left', async () => {
        const target = await createTenant(server.url, owner.token);
        const link = (await requestImport(server.url, owner.token, target.id)).data;
        const answer = await stalledUpload(`${server.url}${link.url}`);
        expect(answer.status).toBe(408);
        expect(JSON.parse(answer.body)).toMatchObject({ error: 'UPLOAD_TIMED_OUT' });
        const [entry] = await history(target.id);
        expect(entry).toMatchObject({ kind: 'restore', outcome: 'failed' });
        expect(entry!.error).toMatch(/^The upload was cut off: the client sent nothing for 2 s/);
        expect(spooled()).toEqual([]);
      });

      it('answers a refused restore whose client then goes quiet, within the idle limit', async () => {
        const target = await createTenant(server.url, owner.token);
        const link = (await requestImport(server.url, owner.token, target.id)).data;
        // A whole gzip member that is no tar, and then silence with the connection open.
        const answer = await stalledUpload(`${server.url}${link.url}`, gzipSync(Buffer.alloc(2048, 'x')));
        if (backend.kind === 'pglite') {
          // Received to a file first: the silence cuts the upload off before any restore.
          expect(answer.status).toBe(408);
        } else {
          // Refused as it streams in; what is left of the body is discarded only up to the idle limit.
          expect(answer.status).toBe(422);
          expect(JSON.parse(answer.body)).toMatchObject({ error: 'INVALID_ARCHIVE' });
        }
        const [entry] = await history(target.id);
        expect(entry).toMatchObject({ kind: 'restore', outcome: 'failed' });
      });

      it('a stop ends restores at once, one waiting on its client and one not yet reading, answering 503', async () => {
        // A server of its own (stopping is for good), whose idle limit no test would wait out.
        const stopping = new ActiveTransfers();
        const second = await startTestServer(backend, {
          database,
          env: { ...BACKUP_ENV, HISAABO_IDLE_TRANSFER_TIMEOUT: '3600' },
          transfers: stopping,
          spool: backend.kind === 'pglite' ? spool : undefined,
        });
        try {
          const waiting = await createTenant(second.url, owner.token);
          const fresh = await createTenant(second.url, owner.token);
          const waitingLink = (await requestImport(second.url, owner.token, waiting.id)).data;
          const freshLink = (await requestImport(second.url, owner.token, fresh.id)).data;
          const waitingAnswer = stalledUpload(`${second.url}${waitingLink.url}`);
          await waitFor('the first restore to run', async () => (stopping.size === 1 ? true : undefined));

          // Stop the moment the second restore is handed over: it has not read a byte of its upload.
          const track = stopping.track.bind(stopping);
          let stopped: Promise<void> | undefined;
          stopping.track = (work) => {
            const tracked = track(work);
            stopped ??= stopping.stop('SIGTERM', 60_000);
            return tracked;
          };
          const freshAnswer = await stalledUpload(`${second.url}${freshLink.url}`);
          for (const answer of [freshAnswer, await waitingAnswer]) {
            expect(answer.status).toBe(503);
            expect(JSON.parse(answer.body)).toMatchObject({ error: 'SERVER_STOPPING' });
          }
          await stopped;
          expect(stopping.size).toBe(0);
          for (const target of [waiting, fresh]) {
            const [entry] = await history(target.id);
            expect(entry).toMatchObject({ kind: 'restore', outcome: 'failed' });
            expect(entry!.error).toMatch(
              /^Interrupted: the server was stopped \(SIGTERM\) during the restore/,
            );
          }
          expect(spooled()).toEqual([]);
        } finally {
          await second.close();
        }
      });

      it('a stopping server ends a download (not counted) and a restore (rolled back), leaving no file', async () => {
        const link = (await requestExport(server.url, owner.token, other.id)).data;
        const stalled = await stallDownload(server, link.url);
        expect(stalled.status).toBe(200);

        // A restore whose upload is still arriving: gzip's header, then nothing.
        const target = await createTenant(server.url, owner.token);
        const importLink = (await requestImport(server.url, owner.token, target.id)).data;
        const answered = stalledUpload(`${server.url}${importLink.url}`);
        await waitFor('both transfers to run', async () => (transfers.size === 2 ? true : undefined));

        await transfers.stop('SIGTERM', 10_000);
        expect(transfers.size).toBe(0);
        const restore = await answered;
        expect(restore.status).toBe(503);
        expect(JSON.parse(restore.body)).toMatchObject({ error: 'SERVER_STOPPING' });
        const [restoreEntry] = await history(target.id);
        expect(restoreEntry).toMatchObject({ kind: 'restore', outcome: 'failed' });
        expect(restoreEntry!.error).toMatch(
          /^Interrupted: the server was stopped \(SIGTERM\) during the restore; nothing was imported/,
        );
        const [exportEntry] = await history(other.id);
        expect(exportEntry).toMatchObject({ kind: 'export', outcome: 'failed' });
        expect(exportEntry!.error).toMatch(
          /^interrupted: the server was stopped \(SIGTERM\).*\(not counted\)$/,
        );
        expect(spooled()).toEqual([]);
      });
    });
  });
}

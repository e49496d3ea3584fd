import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '@hisaabo/backup';
import { connect, type Database, storedBackups } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { eq } from 'drizzle-orm';
import { createLogger } from '../../src/logger.ts';
import { startBackupScheduler } from '../../src/backup/stored/scheduler.ts';
import { BACKUP_ENV, requestImport, seedBusiness, upload } from '../backup-support.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  addMember,
  call,
  createTenant,
  ok,
  registerOwner,
  registerUser,
  type TestTenant,
  type TestUser,
} from '../support/trpc.ts';
import { filesOf, listStored, runNowAndWait, setSchedule, settingsFor, tempBackupDir } from './support.ts';

const ageCli = (() => {
  try {
    execFileSync('age', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

for (const backend of testBackends()) {
  describe(`stored backups (${backend.kind})`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let owner: TestUser;
    let org: TestTenant;
    const dir = tempBackupDir();

    beforeAll(async () => {
      database = await backend.create();
      server = await startTestServer(backend, {
        database,
        env: { ...BACKUP_ENV, HISAABO_BACKUP_DIR: dir.directory },
      });
      ({ owner, org } = await registerOwner(server.url));
      await seedBusiness(database.db, org.id);
    });
    afterAll(async () => {
      await server?.close();
      await database?.close();
      await dir.cleanup();
    });

    it('schedule: off by default, set by owners only with the exact input, validated', async () => {
      const initial = await ok<Record<string, unknown>>(
        server.url,
        'backupSchedule.get',
        { tenantId: org.id },
        { token: owner.token },
      );
      expect(initial).toMatchObject({
        frequency: 'off',
        hour: 2,
        keep: 7,
        recipients: [],
        warning: null,
        lastRun: null,
      });

      const bad = [
        { frequency: 'hourly', hour: 1, keep: 3, recipients: [] },
        { frequency: 'daily', hour: 24, keep: 3, recipients: [] },
        { frequency: 'daily', hour: 1, keep: 0, recipients: [] },
        { frequency: 'daily', hour: 1, keep: 91, recipients: [] },
        { frequency: 'daily', hour: 1, keep: 3, recipients: ['ssh-rsa AAAA'] },
      ];
      for (const input of bad) {
        const refused = await setSchedule(server.url, owner.token, { tenantId: org.id, ...input });
        expect(refused.status, JSON.stringify(input)).toBe(400);
      }
      const notAKey = await setSchedule(server.url, owner.token, {
        tenantId: org.id,
        frequency: 'daily',
        hour: 1,
        keep: 3,
        recipients: ['age1notakey'],
      });
      expect(notAKey.error?.message).toContain('Not an age public key');

      const admin = await registerUser(server.url);
      await addMember(server.url, owner.token, org.id, admin, 'admin');
      const asAdmin = await setSchedule(server.url, admin.token, {
        tenantId: org.id,
        frequency: 'daily',
        hour: 1,
        keep: 3,
        recipients: [],
      });
      expect(asAdmin.status).toBe(403);
      expect(
        (await call(server.url, 'backupSchedule.get', { tenantId: org.id }, { token: admin.token })).status,
      ).toBe(403);
      expect(
        (await call(server.url, 'storedBackup.list', { tenantId: org.id }, { token: admin.token })).status,
      ).toBe(403);
      expect(
        (await call(server.url, 'backupSchedule.runNow', { tenantId: org.id }, { token: admin.token }))
          .status,
      ).toBe(403);

      const set = await setSchedule(server.url, owner.token, {
        tenantId: org.id,
        frequency: 'weekly',
        hour: 23,
        keep: 90,
        recipients: [],
      });
      expect(set.status).toBe(200);
      const read = await ok<Record<string, unknown>>(
        server.url,
        'backupSchedule.get',
        { tenantId: org.id },
        { token: owner.token },
      );
      expect(read).toMatchObject({ frequency: 'weekly', hour: 23, keep: 90, recipients: [] });
    });

    it('run now: written, verified, then the oldest beyond keep deleted; no export counted', async () => {
      await setSchedule(server.url, owner.token, {
        tenantId: org.id,
        frequency: 'daily',
        hour: 3,
        keep: 2,
        recipients: [],
      });
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await runNowAndWait(server.url, owner.token, org.id));
      for (const run of runs) expect(run.status, run.error ?? '').toBe('verified');

      const listed = await listStored(server.url, owner.token, org.id);
      expect(listed.map((b) => b.id)).toEqual([runs[2]!.id, runs[1]!.id]);
      expect(filesOf(dir.directory, org.id)).toEqual([runs[1]!.fileName, runs[2]!.fileName].sort());
      const kept = path.join(dir.directory, org.id, runs[2]!.fileName);
      const report = await verifyArchive(createReadStream(kept));
      expect(report.ok).toBe(true);
      expect(report.manifest?.source.tenantId).toBe(org.id);
      expect(runs[2]!.totalRows).toBeGreaterThan(5);
      expect(runs[2]!.bytes).toBe(readFileSync(kept).length);

      const history = await ok<{
        events: {
          kind: string;
          outcome: string;
          verified: boolean | null;
          bytes: number;
          totalRows: number;
          durationMs: number;
        }[];
        exportLimit: { used: number; remaining: number };
      }>(server.url, 'backup.history', { tenantId: org.id }, { token: owner.token });
      const stored = history.events.filter((e) => e.kind === 'stored');
      expect(stored).toHaveLength(3);
      for (const event of stored) {
        expect(event).toMatchObject({ outcome: 'succeeded', verified: true });
        expect(event.bytes).toBeGreaterThan(0);
        expect(event.totalRows).toBeGreaterThan(5);
        expect(event.durationMs).toBeGreaterThanOrEqual(0);
      }
      expect(history.exportLimit).toMatchObject({ used: 0, remaining: 2 });
    });

    it('download: a single-use owner link, the file as stored, restorable into a new organization', async () => {
      const [latest] = await listStored(server.url, owner.token, org.id);
      const link = await ok<{ url: string }>(
        server.url,
        'storedBackup.requestDownload',
        { tenantId: org.id, id: latest!.id },
        { token: owner.token },
      );
      // The page's check before it hands the link to the download manager spends nothing.
      const check = await fetch(`${server.url}${link.url}&check=1`);
      expect(check.status).toBe(204);
      const response = await fetch(`${server.url}${link.url}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${latest!.fileName}"`);
      const body = Buffer.from(await response.arrayBuffer());
      expect(body.equals(readFileSync(path.join(dir.directory, org.id, latest!.fileName)))).toBe(true);

      const again = await fetch(`${server.url}${link.url}`);
      expect(again.status).toBe(401);
      expect(((await again.json()) as { error: string }).error).toBe('TOKEN_USED');
      const spentCheck = await fetch(`${server.url}${link.url}&check=1`);
      expect(spentCheck.status).toBe(401);
      expect(((await spentCheck.json()) as { error: string }).error).toBe('TOKEN_USED');
      const otherBackup = link.url.replace(latest!.id, '00000000-0000-7000-8000-000000000000');
      expect((await fetch(`${server.url}${otherBackup}`)).status).toBe(401);

      // Downloads of stored backups are not exports: the limit is untouched.
      for (let i = 0; i < 3; i++) {
        const more = await ok<{ url: string }>(
          server.url,
          'storedBackup.requestDownload',
          { tenantId: org.id, id: latest!.id },
          { token: owner.token },
        );
        expect((await fetch(`${server.url}${more.url}`)).status).toBe(200);
      }
      const history = await ok<{ exportLimit: { used: number } }>(
        server.url,
        'backup.history',
        { tenantId: org.id },
        { token: owner.token },
      );
      expect(history.exportLimit.used).toBe(0);

      const target = await createTenant(server.url, owner.token);
      const importLink = await requestImport(server.url, owner.token, target.id);
      const restored = await upload(server.url, importLink.data.url, body);
      expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    });

    it('restore from a stored backup without an upload: owners of both, into an empty organization only', async () => {
      const { backups } = await ok<{ backups: { id: string; tenantId: string }[] }>(
        server.url,
        'storedBackup.restorable',
        undefined,
        { token: owner.token },
      );
      const latest = backups.find((b) => b.tenantId === org.id)!;
      expect(latest).toBeDefined();
      const from = { tenantId: org.id, id: latest.id };

      const notEmpty = await call(
        server.url,
        'storedBackup.restoreInto',
        { tenantId: org.id, from },
        { token: owner.token },
      );
      expect(notEmpty.status).toBe(409);
      expect(notEmpty.error?.data.hisaaboCode).toBe('TARGET_NOT_EMPTY');
      expect(notEmpty.error?.message).not.toMatch(/^TARGET_NOT_EMPTY/);

      const { owner: stranger, org: strangersOrg } = await registerOwner(server.url);
      const notTheirs = await call(
        server.url,
        'storedBackup.restoreInto',
        { tenantId: strangersOrg.id, from },
        { token: stranger.token },
      );
      expect(notTheirs.status).toBe(403);
      const strangerList = await ok<{ backups: unknown[] }>(
        server.url,
        'storedBackup.restorable',
        undefined,
        { token: stranger.token },
      );
      expect(strangerList.backups).toEqual([]);

      const target = await createTenant(server.url, owner.token);
      const restored = await call<{ ok: boolean; rowsInserted: Record<string, number> }>(
        server.url,
        'storedBackup.restoreInto',
        { tenantId: target.id, from },
        { token: owner.token },
      );
      expect(restored.status, JSON.stringify(restored.body)).toBe(200);
      expect(restored.data.ok).toBe(true);
      expect(restored.data.rowsInserted.invoices).toBe(1);
      const history = await ok<{ events: { kind: string; outcome: string }[] }>(
        server.url,
        'backup.history',
        { tenantId: target.id },
        { token: owner.token },
      );
      expect(history.events.map((e) => `${e.kind}:${e.outcome}`)).toEqual(['restore:succeeded']);
    });

    it('two servers on one database: one run per organization per slot', async () => {
      await setSchedule(server.url, owner.token, {
        tenantId: org.id,
        frequency: 'daily',
        hour: 3,
        keep: 5,
        recipients: [],
      });
      const second: Database = database.url
        ? await connect({ databaseUrl: database.url, maxConnections: 4 })
        : database;
      const logger = createLogger({ level: 'silent' });
      const tomorrow = new Date(Date.now() + 24 * 3600_000);
      const now = () =>
        new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), 3, 30));
      const a = startBackupScheduler(database, settingsFor(dir.directory, { concurrency: 2 }), {
        logger,
        now,
        intervalMs: 3_600_000,
      });
      const b = startBackupScheduler(second, settingsFor(dir.directory, { concurrency: 2 }), {
        logger,
        now,
        intervalMs: 3_600_000,
      });
      try {
        const [fromA, fromB] = await Promise.all([a.runOnce(), b.runOnce()]);
        const outcomes = [...fromA, ...fromB];
        expect(outcomes.map((o) => o.status)).toEqual(['verified']);
        expect(await a.runOnce()).toEqual([]);
        expect(await b.runOnce()).toEqual([]);
      } finally {
        await a.stop();
        await b.stop();
        if (second !== database) await second.close();
      }
      const slotted = await database.db
        .select({ slot: storedBackups.slot, status: storedBackups.status })
        .from(storedBackups)
        .where(eq(storedBackups.trigger, 'schedule'));
      expect(slotted).toHaveLength(1);
      expect(slotted[0]!.slot).toMatch(/T03:00:00\.000000Z$/);
      const health = await ok<{ lastRun: { status: string }; warning: null }>(
        server.url,
        'backupSchedule.get',
        { tenantId: org.id },
        { token: owner.token },
      );
      expect(health).toMatchObject({ lastRun: { status: 'verified' }, warning: null });
    });

    it('at most HISAABO_BACKUP_CONCURRENCY runs at once: a pass claims only what it can start', async () => {
      const others = [
        await createTenant(server.url, owner.token),
        await createTenant(server.url, owner.token),
      ];
      for (const other of others) {
        await setSchedule(server.url, owner.token, {
          tenantId: other.id,
          frequency: 'weekly',
          hour: 0,
          keep: 1,
          recipients: [],
        });
      }
      const logger = createLogger({ level: 'silent' });
      const inTwoWeeks = () => new Date(Date.now() + 14 * 24 * 3600_000);
      const scheduler = startBackupScheduler(database, settingsFor(dir.directory, { concurrency: 1 }), {
        logger,
        now: inTwoWeeks,
        intervalMs: 3_600_000,
      });
      try {
        // This organization's daily slot and the two weekly ones are due: one per pass.
        const passes = [await scheduler.runOnce(), await scheduler.runOnce(), await scheduler.runOnce()];
        expect(passes.map((outcomes) => outcomes.length)).toEqual([1, 1, 1]);
        expect(passes.flat().every((o) => o.status === 'verified')).toBe(true);
        expect(await scheduler.runOnce()).toEqual([]);
      } finally {
        await scheduler.stop();
      }
    });

    it('encrypted to a key the server lacks: age file, plaintext verified while writing', async () => {
      const identity = await generateIdentity();
      const recipient = await identityToRecipient(identity);
      await setSchedule(server.url, owner.token, {
        tenantId: org.id,
        frequency: 'daily',
        hour: 3,
        keep: 5,
        recipients: [recipient],
      });
      const run = await runNowAndWait(server.url, owner.token, org.id);
      expect(run).toMatchObject({ status: 'verified', encrypted: true });
      expect(run.fileName).toMatch(/\.tar\.gz\.age$/);
      const file = path.join(dir.directory, org.id, run.fileName);
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n');
      expect(bytes.includes(Buffer.from('Widget'))).toBe(false);

      const decrypter = new Decrypter();
      decrypter.addIdentity(identity);
      const plaintext = Buffer.from(await decrypter.decrypt(new Uint8Array(bytes)));
      const report = await verifyArchive(Readable.from([plaintext]));
      expect(report.ok).toBe(true);
      expect(report.manifest?.source.tenantId).toBe(org.id);

      if (ageCli) {
        const keyFile = path.join(dir.directory, 'key.txt');
        execFileSync('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', identity, keyFile]);
        const byTheTool = execFileSync('age', ['--decrypt', '-i', keyFile, file]);
        expect(byTheTool.equals(plaintext)).toBe(true);
      }
      await setSchedule(server.url, owner.token, {
        tenantId: org.id,
        frequency: 'daily',
        hour: 3,
        keep: 5,
        recipients: [],
      });
    });
  });
}

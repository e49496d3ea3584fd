import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backupEvents, queryRows } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { finishBackupEvent } from '../src/backup/events.ts';
import { exportQuota } from '../src/backup/export-limit.ts';
import { startHeartbeat } from '../src/backup/liveness.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { createTenant, ok, registerUser, type TestTenant, type TestUser } from './support/trpc.ts';
import { BACKUP_ENV, exportArchive, requestExport, seedBusiness } from './backup-support.ts';

interface History {
  events: { id: string; kind: string; outcome: string; error: string | null }[];
  exportLimit: { used: number; remaining: number; nextAllowedAt: string | null };
}

const MINUTE = 60_000;

for (const backend of testBackends()) {
  describe(`exports and restores whose server stopped (${backend.kind})`, () => {
    let database: TestDatabase;
    let server: TestServer;
    let owner: TestUser;

    beforeAll(async () => {
      database = await backend.create();
      server = await startTestServer(backend, { database, env: BACKUP_ENV });
      owner = await registerUser(server.url);
    });
    afterAll(async () => {
      await server?.close();
      await database?.close();
    });

    /**
     * A `running` row as a server leaves it behind: started `startedAgoMs` ago, last heard from
     * `silentForMs` ago (a crash writes nothing more, so this is exactly what one looks like later).
     */
    async function runningEvent(
      org: TestTenant,
      kind: 'export' | 'restore',
      startedAgoMs: number,
      silentForMs: number | null,
    ): Promise<string> {
      const [row] = await database.db
        .insert(backupEvents)
        .values({
          tenantId: org.id,
          userId: owner.id,
          kind,
          startedAt: sql`now() - ${startedAgoMs} * interval '1 millisecond'`,
          heartbeatAt: silentForMs === null ? null : sql`now() - ${silentForMs} * interval '1 millisecond'`,
        })
        .returning({ id: backupEvents.id });
      return row!.id;
    }

    const history = (org: TestTenant) =>
      ok<History>(server.url, 'backup.history', { tenantId: org.id }, { token: owner.token });

    it('stops counting a download whose server died, lists it as failed, and records that', async () => {
      const org = await createTenant(server.url, owner.token);
      await seedBusiness(database.db, org.id);
      // Last heard from 9 minutes ago: dead. Last heard from 30 seconds ago: still sending.
      const dead = await runningEvent(org, 'export', 10 * MINUTE, 9 * MINUTE);
      const alive = await runningEvent(org, 'export', 10 * MINUTE, 30_000);

      const before = await history(org);
      expect(before.exportLimit).toMatchObject({ used: 1, remaining: 1, nextAllowedAt: null });
      expect(before.events.find((e) => e.id === dead)).toMatchObject({
        outcome: 'failed',
        error: 'interrupted (the server stopped while sending)',
      });
      expect(before.events.find((e) => e.id === alive)).toMatchObject({ outcome: 'running', error: null });

      // The table says so too, finished when it was last heard from.
      const [row] = await queryRows<{ outcome: string; at_last_heartbeat: boolean }>(
        database.db,
        sql`SELECT outcome, finished_at = created_at + interval '1 minute' AS at_last_heartbeat
            FROM backup_events WHERE id = ${dead}`,
      );
      expect(row).toEqual({ outcome: 'failed', at_last_heartbeat: true });
      const [still] = await database.db
        .select({ outcome: backupEvents.outcome })
        .from(backupEvents)
        .where(eq(backupEvents.id, alive));
      expect(still!.outcome).toBe('running');

      // The freed slot is usable; the live download keeps its own.
      await exportArchive(server.url, owner.token, org.id);
      const third = await requestExport(server.url, owner.token, org.id);
      expect(third.status).toBe(429);
      expect((await history(org)).exportLimit).toMatchObject({ used: 2, remaining: 0 });
    });

    it('frees the slot when the download starts, before any history is read', async () => {
      const org = await createTenant(server.url, owner.token);
      await seedBusiness(database.db, org.id);
      // The dead download appears after the link was issued: only the download's own check sees it.
      await runningEvent(org, 'export', 5 * MINUTE, 0);
      const link = (await requestExport(server.url, owner.token, org.id)).data;
      const crashed = await runningEvent(org, 'export', 10 * MINUTE, 3 * MINUTE);
      const download = await fetch(`${server.url}${link.url}`);
      expect(download.status).toBe(200);
      await download.arrayBuffer();
      const [row] = await database.db
        .select({ outcome: backupEvents.outcome, error: backupEvents.error })
        .from(backupEvents)
        .where(eq(backupEvents.id, crashed));
      expect(row).toEqual({ outcome: 'failed', error: 'interrupted (the server stopped while sending)' });
    });

    it('lists a restore whose server died as failed; nothing was imported', async () => {
      const org = await createTenant(server.url, owner.token);
      const dead = await runningEvent(org, 'restore', 3 * MINUTE, null);
      const fresh = await runningEvent(org, 'restore', 0, null);
      const { events } = await history(org);
      expect(events.find((e) => e.id === dead)).toMatchObject({
        kind: 'restore',
        outcome: 'failed',
        error: 'interrupted (the server stopped while restoring; nothing was imported)',
      });
      expect(events.find((e) => e.id === fresh)).toMatchObject({ outcome: 'running' });
    });

    it('takes the staleness from the caller', async () => {
      const org = await createTenant(server.url, owner.token);
      await runningEvent(org, 'export', 10 * MINUTE, 30_000);
      expect((await exportQuota(database.db, org.id)).used).toBe(1);
      expect((await exportQuota(database.db, org.id, { staleAfterMs: 10_000 })).used).toBe(0);
      expect((await history(org)).events[0]).toMatchObject({ outcome: 'failed' });
    });

    it('heartbeats keep a running event alive, leave a finished one alone, and log failures', async () => {
      const org = await createTenant(server.url, owner.token);
      const id = await runningEvent(org, 'export', 10 * MINUTE, MINUTE);
      const silentFor = async () => {
        const [row] = await queryRows<{ ms: number }>(
          database.db,
          sql`SELECT extract(epoch FROM now() - coalesce(heartbeat_at, created_at)) * 1000 AS ms
              FROM backup_events WHERE id = ${id}`,
        );
        return Number(row!.ms);
      };
      expect(await silentFor()).toBeGreaterThanOrEqual(MINUTE);
      const logger = { warn: vi.fn() };
      const heartbeat = startHeartbeat(database.db, id, logger, 5);
      await vi.waitFor(async () => expect(await silentFor()).toBeLessThan(MINUTE));
      await heartbeat.stop();
      expect(logger.warn).not.toHaveBeenCalled();
      // Heard from just now: it counts even under a staleness far shorter than its silence was.
      expect((await exportQuota(database.db, org.id, { staleAfterMs: 30_000 })).used).toBe(1);

      await finishBackupEvent(database.db, id, { outcome: 'succeeded', bytes: 10, durationMs: 7 });
      const late = startHeartbeat(database.db, id, logger);
      late.beat();
      await late.stop();
      const [row] = await database.db
        .select({ outcome: backupEvents.outcome, durationMs: backupEvents.durationMs })
        .from(backupEvents)
        .where(eq(backupEvents.id, id));
      expect(row).toEqual({ outcome: 'succeeded', durationMs: 7 });

      const gone = await backend.create();
      await gone.close();
      const failing = startHeartbeat(gone.db, id, logger);
      expect(() => failing.beat()).not.toThrow();
      await failing.stop();
      expect(logger.warn).toHaveBeenCalledWith(
        'backup heartbeat failed',
        expect.objectContaining({ eventId: id }),
      );
    });
  });
}

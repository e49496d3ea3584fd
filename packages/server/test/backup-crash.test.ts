import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backupEvents } from '@hisaabo/db';
import { createPostgresDatabase, type TestDatabase } from '@hisaabo/db/testing';
import { startTestServer, type TestServer } from './support/server.ts';
import { ok, registerOwner } from './support/trpc.ts';
import { BACKUP_ENV, type BackupLink, seedBusiness } from './backup-support.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from './support/server-process.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('a server process killed while sending a backup (PostgreSQL)', () => {
  let database: TestDatabase;
  let dataDir: string;
  let crashing: ServerProcess | undefined;
  let survivor: TestServer | undefined;
  let locker: PoolClient | undefined;

  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl!);
    dataDir = mkdtempSync(path.join(tmpdir(), 'hisaabo-crash-'));
    crashing = await startServerProcess(database.url!, dataDir);
  });
  afterAll(async () => {
    await stopServerProcess(crashing?.child, 'SIGKILL');
    await locker?.query('ROLLBACK').catch(() => {});
    locker?.release();
    await survivor?.close();
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves a running export that stops counting once its heartbeat is stale', async () => {
    const { owner, org } = await registerOwner(crashing!.url);
    await seedBusiness(database.db, org.id);
    // The download must still be under way when its process dies, whatever the socket buffers hold:
    // it is held up at the parties table, after it has begun reading the organization.
    if (database.driver.kind !== 'postgres') throw new Error('needs PostgreSQL');
    locker = await database.driver.pool.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE parties IN ACCESS EXCLUSIVE MODE');

    const link = await ok<BackupLink>(
      crashing!.url,
      'selfExport.request',
      { tenantId: org.id },
      { token: owner.token },
    );
    const download = await fetch(`${crashing!.url}${link.url}`);
    expect(download.status).toBe(200);
    const reader = download.body!.getReader();

    const event = async () => {
      const [row] = await database.db
        .select({ id: backupEvents.id, outcome: backupEvents.outcome, heartbeatAt: backupEvents.heartbeatAt })
        .from(backupEvents)
        .where(eq(backupEvents.tenantId, org.id));
      return row!;
    };
    // The download has announced itself alive once it began reading the organization.
    await vi.waitFor(async () => expect((await event()).heartbeatAt).not.toBeNull(), { timeout: 10_000 });
    expect((await event()).outcome).toBe('running');

    await stopServerProcess(crashing!.child, 'SIGKILL');
    await reader.cancel().catch(() => {});
    await locker.query('ROLLBACK');
    locker.release();
    locker = undefined;
    const { id } = await event();
    expect((await event()).outcome).toBe('running');

    survivor = await startTestServer(
      { kind: 'postgres', create: async () => database },
      { database, env: BACKUP_ENV },
    );
    const read = () =>
      ok<{
        events: { id: string; outcome: string; error: string | null }[];
        exportLimit: { used: number; remaining: number };
      }>(survivor!.url, 'backup.history', { tenantId: org.id }, { token: owner.token });

    // Freshly silent: not yet taken for dead, still counted.
    const early = await read();
    expect(early.events[0]).toMatchObject({ id, outcome: 'running' });
    expect(early.exportLimit).toMatchObject({ used: 1, remaining: 1 });

    // Minutes pass with no heartbeat (the process is gone): moved back in the database rather than waited.
    await database.db.execute(
      sql`UPDATE backup_events
          SET created_at = created_at - interval '5 minutes', heartbeat_at = heartbeat_at - interval '5 minutes'
          WHERE id = ${id}`,
    );
    const late = await read();
    expect(late.events[0]).toMatchObject({
      id,
      outcome: 'failed',
      error: 'interrupted (the server stopped while sending)',
    });
    expect(late.exportLimit).toMatchObject({ used: 0, remaining: 2 });
    expect((await event()).outcome).toBe('failed');
  });
});

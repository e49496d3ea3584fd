import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { eq, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupEvents, type Db, queryRows, tenantMembers, tenants, users } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { requireOwnerAccess } from '../src/backup/access.ts';
import { exportLimitMessage, exportQuota, lockExportStarts } from '../src/backup/export-limit.ts';
import { INTERRUPTED_MESSAGES } from '../src/backup/liveness.ts';
import { OWNERS_ONLY_MESSAGE } from '../src/backup/ownership.ts';
import type { ProtectedContext } from '../src/trpc.ts';

// The export quota and the owners-only access check straight on the database, without a server:
// which past exports count, when the next one frees up, which lock serializes starts, and who passes.
// (backup-limit.test.ts checks the same rules through the HTTP routes.)

type Outcome = 'running' | 'succeeded' | 'failed' | 'cancelled';
type Kind = 'export' | 'restore' | 'stored';

interface PastEvent {
  kind?: Kind;
  outcome: Outcome;
  /** How long ago it started, as a PostgreSQL interval. */
  startedAgo: string;
  /** How long ago its last heartbeat was, for running events. */
  heartbeatAgo?: string;
}

const ago = (interval: string): SQL => sql`now() - ${interval}::interval`;
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

for (const backend of testBackends()) {
  describe(`export quota and owner access (${backend.kind})`, () => {
    let database: TestDatabase;
    let userId: string;

    async function newTenant(status: 'active' | 'suspended' = 'active'): Promise<string> {
      const slug = `q-${randomBytes(4).toString('hex')}`;
      const [row] = await database.db
        .insert(tenants)
        .values({ name: slug, slug, status })
        .returning({ id: tenants.id });
      return row!.id;
    }
    async function record(tenantId: string, events: PastEvent[]): Promise<string[]> {
      const rows = await database.db
        .insert(backupEvents)
        .values(
          events.map((event) => ({
            tenantId,
            userId,
            kind: event.kind ?? 'export',
            outcome: event.outcome,
            startedAt: ago(event.startedAgo),
            heartbeatAt: event.heartbeatAgo ? ago(event.heartbeatAgo) : null,
          })),
        )
        .returning({ id: backupEvents.id });
      return rows.map((row) => row.id);
    }
    /** When an event leaves the 24-hour window, read on the database's clock. */
    async function freesAt(eventId: string): Promise<number> {
      const [row] = await queryRows<{ frees_at: string }>(
        database.db,
        sql`SELECT floor(extract(epoch FROM ${backupEvents.startedAt} + interval '24 hours') * 1000)::text AS frees_at
            FROM ${backupEvents} WHERE ${backupEvents.id} = ${eventId}`,
      );
      return Number(row!.frees_at);
    }
    async function outcomeOf(eventId: string): Promise<{ outcome: string; error: string | null }> {
      const [row] = await database.db
        .select({ outcome: backupEvents.outcome, error: backupEvents.error })
        .from(backupEvents)
        .where(eq(backupEvents.id, eventId));
      return row!;
    }
    /** What requireTenantAccess reads of a request's context: the database and who is calling. */
    function callerContext(): ProtectedContext {
      const caller: Pick<ProtectedContext, 'db' | 'user' | 'credential'> = {
        db: database.db,
        user: { id: userId, email: 'quota@example.com', name: 'Q' },
        credential: { kind: 'session', via: 'bearer', sessionId: 's', selectedTenantId: null },
      };
      return caller as ProtectedContext;
    }

    beforeAll(async () => {
      database = await backend.create();
      const [user] = await database.db
        .insert(users)
        .values({ email: `q-${randomBytes(4).toString('hex')}@example.com`, name: 'Q', passwordHash: 'x' })
        .returning({ id: users.id });
      userId = user!.id;
    });
    afterAll(() => database?.close());

    it('allows two exports when none counts', async () => {
      const tenantId = await newTenant();
      expect(await exportQuota(database.db, tenantId)).toEqual({
        used: 0,
        remaining: 2,
        nextAllowedAt: null,
      });
    });

    it('counts started downloads of the last 24 hours that did not fail on the server, of this organization only', async () => {
      const tenantId = await newTenant();
      const other = await newTenant();
      await record(tenantId, [
        { outcome: 'failed', startedAgo: '1 hour' },
        { outcome: 'succeeded', startedAgo: '25 hours' },
        { kind: 'restore', outcome: 'succeeded', startedAgo: '1 hour' },
        { kind: 'stored', outcome: 'succeeded', startedAgo: '1 hour' },
        // Silent for 5 minutes: its server died while sending.
        { outcome: 'running', startedAgo: '10 minutes', heartbeatAgo: '5 minutes' },
      ]);
      await record(other, [{ outcome: 'succeeded', startedAgo: '1 hour' }]);
      expect(await exportQuota(database.db, tenantId)).toEqual({
        used: 0,
        remaining: 2,
        nextAllowedAt: null,
      });

      // A download the client stopped counts, and so does one still sending.
      await record(tenantId, [{ outcome: 'cancelled', startedAgo: '3 hours' }]);
      expect(await exportQuota(database.db, tenantId)).toEqual({
        used: 1,
        remaining: 1,
        nextAllowedAt: null,
      });
      const [running] = await record(tenantId, [
        { outcome: 'running', startedAgo: '1 hour', heartbeatAgo: '10 seconds' },
      ]);
      const full = await exportQuota(database.db, tenantId);
      expect(full).toMatchObject({ used: 2, remaining: 0 });
      // Frees up when the older of the two (3 hours ago) leaves the window, written in UTC.
      expect(full.nextAllowedAt).toMatch(INSTANT);
      expect(await outcomeOf(running!)).toEqual({ outcome: 'running', error: null });
    });

    it('frees up when enough of the oldest counted exports have left the window', async () => {
      const tenantId = await newTenant();
      const [oldest, second] = await record(tenantId, [
        { outcome: 'succeeded', startedAgo: '23 hours' },
        { outcome: 'cancelled', startedAgo: '10 hours' },
      ]);
      const two = await exportQuota(database.db, tenantId);
      expect(two).toMatchObject({ used: 2, remaining: 0 });
      expect(two.nextAllowedAt).toMatch(INSTANT);
      expect(Date.parse(two.nextAllowedAt!)).toBe(await freesAt(oldest!));

      // Three counted (possible when the limit was lower or starts raced past it): one slot frees
      // only when two have left, so at the second oldest's time.
      await record(tenantId, [{ outcome: 'succeeded', startedAgo: '1 hour' }]);
      const three = await exportQuota(database.db, tenantId);
      expect(three).toMatchObject({ used: 3, remaining: 0 });
      expect(Date.parse(three.nextAllowedAt!)).toBe(await freesAt(second!));
    });

    it('records the organization’s dead exports as failed, and leaves its other kinds alone', async () => {
      const tenantId = await newTenant();
      const [deadExport, deadRestore, quietExport] = await record(tenantId, [
        { outcome: 'running', startedAgo: '10 minutes', heartbeatAgo: '5 minutes' },
        { kind: 'restore', outcome: 'running', startedAgo: '10 minutes', heartbeatAgo: '5 minutes' },
        { outcome: 'running', startedAgo: '1 minute', heartbeatAgo: '30 seconds' },
      ]);
      expect(await exportQuota(database.db, tenantId)).toMatchObject({ used: 1, remaining: 1 });
      expect(await outcomeOf(deadExport!)).toEqual({ outcome: 'failed', error: INTERRUPTED_MESSAGES.export });
      expect(await outcomeOf(deadRestore!)).toEqual({ outcome: 'running', error: null });
      expect(await outcomeOf(quietExport!)).toEqual({ outcome: 'running', error: null });

      // A shorter silence limit: the export quiet for 30 seconds is dead too, and marked so.
      expect(await exportQuota(database.db, tenantId, { staleAfterMs: 10_000 })).toEqual({
        used: 0,
        remaining: 2,
        nextAllowedAt: null,
      });
      expect(await outcomeOf(quietExport!)).toEqual({
        outcome: 'failed',
        error: INTERRUPTED_MESSAGES.export,
      });
    });

    it('says the limit and when the next export is possible', () => {
      expect(exportLimitMessage('2026-12-01T10:00:00.000000Z')).toBe(
        'Export limit reached: 2 exports per organization per 24 hours. The next export is possible at 2026-12-01T10:00:00.000000Z.',
      );
    });

    it('holds the organization’s own export lock until the transaction ends', async () => {
      const tenantId = await newTenant();
      const lockKey = (tenant: string) => sql`hashtextextended(${`hisaabo:export-limit:${tenant}`}, 0)`;
      // An advisory lock on a bigint key shows its high and low 32 bits as classid and objid.
      const heldKeys = (db: Db) =>
        queryRows<{ key: string }>(
          db,
          sql`SELECT ((classid::bigint << 32) | objid::bigint)::text AS key FROM pg_locks
              WHERE locktype = 'advisory' AND pid = pg_backend_pid()`,
        );
      const [expected] = await queryRows<{ key: string }>(
        database.db,
        sql`SELECT ${lockKey(tenantId)}::text AS key`,
      );
      const held = await database.db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        await lockExportStarts(t, tenantId);
        return heldKeys(t);
      });
      expect(held).toEqual([{ key: expected!.key }]);
    });

    it('lets owners of an active organization through, and no other role', async () => {
      const owned = await newTenant();
      await database.db.insert(tenantMembers).values({ tenantId: owned, userId, role: 'owner' });
      const membership = await requireOwnerAccess(callerContext(), owned);
      expect(membership).toMatchObject({ role: 'owner', tenant: { id: owned } });

      for (const role of ['admin', 'member', 'viewer'] as const) {
        const tenantId = await newTenant();
        await database.db.insert(tenantMembers).values({ tenantId, userId, role });
        const refusal = await requireOwnerAccess(callerContext(), tenantId).catch((error: unknown) => error);
        expect(refusal, role).toBeInstanceOf(TRPCError);
        expect(refusal).toMatchObject({
          code: 'FORBIDDEN',
          message: `${OWNERS_ONLY_MESSAGE} (you are ${role})`,
        });
      }
      const suspended = await newTenant('suspended');
      await database.db.insert(tenantMembers).values({ tenantId: suspended, userId, role: 'owner' });
      await expect(requireOwnerAccess(callerContext(), suspended)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });
  });
}

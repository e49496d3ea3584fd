import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { type STORED_BACKUP_TRIGGERS, backupEvents, storedBackups, type Db } from '@hisaabo/db';
import { INTERRUPTED_MESSAGES, type LivenessOptions, markInterrupted } from '../liveness.ts';

export type StoredBackupTrigger = (typeof STORED_BACKUP_TRIGGERS)[number];

export interface NewRun {
  id: string;
  tenantId: string;
  trigger: StoredBackupTrigger;
  slot?: Date;
  fileName: string;
  encrypted: boolean;
}

/**
 * Records a run before its file exists. For a scheduled slot this is the claim: of all processes
 * that try the same organization and slot, one insert wins and the others get false.
 */
export async function recordRun(db: Db, run: NewRun): Promise<boolean> {
  const inserted = await db
    .insert(storedBackups)
    .values({
      id: run.id,
      tenantId: run.tenantId,
      trigger: run.trigger,
      slot: run.slot?.toISOString() ?? null,
      fileName: run.fileName,
      encrypted: run.encrypted,
    })
    .onConflictDoNothing({ target: [storedBackups.tenantId, storedBackups.slot] })
    .returning({ id: storedBackups.id });
  return inserted.length === 1;
}

export async function attachEvent(db: Db, id: string, eventId: string): Promise<void> {
  await db.update(storedBackups).set({ eventId }).where(eq(storedBackups.id, id));
}

export async function markVerified(
  db: Db,
  id: string,
  result: { bytes: number; totalRows: number; sha256: string },
): Promise<void> {
  await db
    .update(storedBackups)
    .set({ ...result, status: 'verified', finishedAt: sql`now()` })
    .where(eq(storedBackups.id, id));
}

export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .update(storedBackups)
    .set({ status: 'failed', error, finishedAt: sql`now()` })
    .where(and(eq(storedBackups.id, id), eq(storedBackups.status, 'running')));
}

export async function recordHookOutcome(db: Db, id: string, outcome: string): Promise<void> {
  await db.update(storedBackups).set({ hookOutcome: outcome }).where(eq(storedBackups.id, id));
}

export async function markDeleted(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(storedBackups).set({ status: 'deleted' }).where(inArray(storedBackups.id, ids));
}

/**
 * Runs whose process died (their event went silent) are recorded as failed, so their partial files
 * may be removed and the list tells the truth.
 */
export async function markDeadRuns(db: Db, tenantId: string, options: LivenessOptions = {}): Promise<void> {
  await markInterrupted(db, tenantId, { kind: 'stored', staleAfterMs: options.staleAfterMs });
  await db.execute(sql`
    UPDATE ${storedBackups} SET status = 'failed', finished_at = now(), error = ${INTERRUPTED_MESSAGES.stored}
    WHERE ${storedBackups.tenantId} = ${tenantId} AND ${storedBackups.status} = 'running'
      AND ${storedBackups.eventId} IN (
        SELECT ${backupEvents.id} FROM ${backupEvents}
        WHERE ${backupEvents.tenantId} = ${tenantId} AND ${backupEvents.outcome} = 'failed')`);
}

export interface StoredBackupEntry {
  id: string;
  trigger: StoredBackupTrigger;
  status: 'running' | 'verified' | 'failed';
  fileName: string;
  encrypted: boolean;
  bytes: number | null;
  totalRows: number | null;
  sha256: string | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  hookOutcome: string | null;
}

/** The organization's stored backups and runs, newest first (deleted ones are left out). */
export async function listStoredBackups(
  db: Db,
  tenantId: string,
  options: LivenessOptions & { limit?: number; status?: 'verified' } = {},
): Promise<StoredBackupEntry[]> {
  await markDeadRuns(db, tenantId, options);
  const s = storedBackups;
  const rows = await db
    .select({
      id: s.id,
      trigger: s.trigger,
      status: s.status,
      fileName: s.fileName,
      encrypted: s.encrypted,
      bytes: s.bytes,
      totalRows: s.totalRows,
      sha256: s.sha256,
      createdAt: s.createdAt,
      finishedAt: s.finishedAt,
      error: s.error,
      hookOutcome: s.hookOutcome,
    })
    .from(s)
    .where(
      and(
        eq(s.tenantId, tenantId),
        options.status ? eq(s.status, options.status) : sql`${s.status} <> 'deleted'`,
      ),
    )
    .orderBy(desc(s.createdAt), desc(s.id))
    .limit(options.limit ?? 200);
  return rows.map((row) => ({ ...row, status: row.status as StoredBackupEntry['status'] }));
}

/** One verified backup of the organization, or undefined. */
export async function findVerifiedBackup(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ id: string; fileName: string; encrypted: boolean; bytes: number | null } | undefined> {
  const [row] = await db
    .select({
      id: storedBackups.id,
      fileName: storedBackups.fileName,
      encrypted: storedBackups.encrypted,
      bytes: storedBackups.bytes,
    })
    .from(storedBackups)
    .where(
      and(
        eq(storedBackups.tenantId, tenantId),
        eq(storedBackups.id, id),
        eq(storedBackups.status, 'verified'),
      ),
    );
  return row;
}

/** Ids of runs of the organization still running (their partial files must stay). */
export async function runningIds(db: Db, tenantId: string): Promise<Set<string>> {
  const rows = await db
    .select({ id: storedBackups.id })
    .from(storedBackups)
    .where(and(eq(storedBackups.tenantId, tenantId), eq(storedBackups.status, 'running')));
  return new Set(rows.map((row) => row.id));
}

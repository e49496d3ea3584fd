import { and, desc, eq, sql } from 'drizzle-orm';
import { backupEvents, users, type Db } from '@hisaabo/db';
import { INTERRUPTED_MESSAGES, isStale, type LivenessOptions, markInterrupted } from './liveness.ts';

export type BackupEventKind = 'export' | 'restore' | 'stored';

/** Opens an audit entry as `running`; for exports this is also what the rate limit counts. */
export async function startBackupEvent(
  db: Db,
  input: { tenantId: string; userId: string | null; kind: BackupEventKind },
): Promise<string> {
  const [row] = await db.insert(backupEvents).values(input).returning({ id: backupEvents.id });
  return row!.id;
}

/**
 * Records an attempt refused before it could start (e.g. a restore link used on an organization that
 * is no longer empty), so the history shows why nothing happened.
 */
export async function recordRefusedBackupEvent(
  db: Db,
  input: { tenantId: string; userId: string; kind: BackupEventKind; durationMs: number; error: string },
): Promise<void> {
  await db.insert(backupEvents).values({
    tenantId: input.tenantId,
    userId: input.userId,
    kind: input.kind,
    outcome: 'failed',
    finishedAt: sql`now()`,
    durationMs: Math.round(input.durationMs),
    error: input.error,
  });
}

export interface BackupEventResult {
  outcome: 'succeeded' | 'cancelled' | 'failed';
  bytes?: number;
  rows?: Record<string, number>;
  durationMs: number;
  error?: string;
  /** Stored backups: whether the file was read back and passed the checks of verify. */
  verified?: boolean;
}

/**
 * Writes the event's outcome, whatever it was marked meanwhile: a process that was taken for dead
 * (its heartbeats could not reach the database) but finished after all knows best.
 */
export async function finishBackupEvent(db: Db, id: string, result: BackupEventResult): Promise<void> {
  await db
    .update(backupEvents)
    .set({
      outcome: result.outcome,
      finishedAt: sql`now()`,
      bytes: result.bytes ?? null,
      rows: result.rows ?? null,
      durationMs: Math.round(result.durationMs),
      error: result.error ?? null,
      verified: result.verified ?? null,
    })
    .where(eq(backupEvents.id, id));
}

export interface BackupHistoryEntry {
  id: string;
  kind: BackupEventKind;
  outcome: 'running' | 'succeeded' | 'cancelled' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** Archive size: what was downloaded (export) or uploaded (restore). */
  bytes: number | null;
  rows: Record<string, number> | null;
  totalRows: number | null;
  /** While running: how long it had run at its last heartbeat. */
  durationMs: number | null;
  error: string | null;
  /** Stored backups: whether the file was read back and verified (null for other kinds). */
  verified: boolean | null;
  /** Who did it; null for scheduled runs and once that account is deleted. */
  user: { id: string; email: string; name: string } | null;
}

/**
 * The organization's exports and restores, newest first. One whose server stopped mid-way shows as
 * failed (and is recorded so), not as running forever.
 */
export async function listBackupHistory(
  db: Db,
  tenantId: string,
  options: LivenessOptions & { limit: number; kind?: BackupEventKind },
): Promise<BackupHistoryEntry[]> {
  await markInterrupted(db, tenantId, { staleAfterMs: options.staleAfterMs });
  const filter = options.kind
    ? and(eq(backupEvents.tenantId, tenantId), eq(backupEvents.kind, options.kind))
    : eq(backupEvents.tenantId, tenantId);
  const rows = await db
    .select({
      id: backupEvents.id,
      kind: backupEvents.kind,
      outcome: backupEvents.outcome,
      startedAt: backupEvents.startedAt,
      finishedAt: backupEvents.finishedAt,
      bytes: backupEvents.bytes,
      rows: backupEvents.rows,
      durationMs: backupEvents.durationMs,
      error: backupEvents.error,
      verified: backupEvents.verified,
      // A row another transaction held while it was being marked is still stale here.
      stale: sql<boolean>`${isStale(options.staleAfterMs)}`,
      userId: users.id,
      userEmail: users.email,
      userName: users.name,
    })
    .from(backupEvents)
    .leftJoin(users, eq(users.id, backupEvents.userId))
    .where(filter)
    .orderBy(desc(backupEvents.startedAt), desc(backupEvents.id))
    .limit(options.limit);
  return rows.map(({ userId, userEmail, userName, stale, ...event }) => ({
    ...event,
    ...(stale ? { outcome: 'failed' as const, error: INTERRUPTED_MESSAGES[event.kind] } : {}),
    bytes: event.bytes === null ? null : Number(event.bytes),
    totalRows: event.rows ? Object.values(event.rows).reduce((sum, n) => sum + n, 0) : null,
    user:
      userId && userEmail !== null && userName !== null
        ? { id: userId, email: userEmail, name: userName }
        : null,
  }));
}

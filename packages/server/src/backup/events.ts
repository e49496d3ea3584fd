import { and, desc, eq, sql } from 'drizzle-orm';
import { backupEvents, users, type Db } from '@hisaabo/db';

export type BackupEventKind = 'export' | 'restore';

/** Opens an audit entry as `running`; for exports this is also what the rate limit counts. */
export async function startBackupEvent(
  db: Db,
  input: { tenantId: string; userId: string; kind: BackupEventKind },
): Promise<string> {
  const [row] = await db.insert(backupEvents).values(input).returning({ id: backupEvents.id });
  return row!.id;
}

export interface BackupEventResult {
  outcome: 'succeeded' | 'failed';
  bytes?: number;
  rows?: Record<string, number>;
  durationMs: number;
  error?: string;
}

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
    })
    .where(eq(backupEvents.id, id));
}

export interface BackupHistoryEntry {
  id: string;
  kind: BackupEventKind;
  outcome: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  /** Archive size: what was downloaded (export) or uploaded (restore). */
  bytes: number | null;
  rows: Record<string, number> | null;
  totalRows: number | null;
  durationMs: number | null;
  error: string | null;
  /** Who did it; null once that account is deleted. */
  user: { id: string; email: string; name: string } | null;
}

/** The organization's exports and restores, newest first. */
export async function listBackupHistory(
  db: Db,
  tenantId: string,
  options: { limit: number; kind?: BackupEventKind },
): Promise<BackupHistoryEntry[]> {
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
      userId: users.id,
      userEmail: users.email,
      userName: users.name,
    })
    .from(backupEvents)
    .leftJoin(users, eq(users.id, backupEvents.userId))
    .where(filter)
    .orderBy(desc(backupEvents.startedAt), desc(backupEvents.id))
    .limit(options.limit);
  return rows.map(({ userId, userEmail, userName, ...event }) => ({
    ...event,
    bytes: event.bytes === null ? null : Number(event.bytes),
    totalRows: event.rows ? Object.values(event.rows).reduce((sum, n) => sum + n, 0) : null,
    user:
      userId && userEmail !== null && userName !== null
        ? { id: userId, email: userEmail, name: userName }
        : null,
  }));
}

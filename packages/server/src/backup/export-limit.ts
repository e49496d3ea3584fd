import { sql } from 'drizzle-orm';
import { backupEvents, queryRows, type Db } from '@hisaabo/db';
import { isStale, type LivenessOptions, markInterrupted } from './liveness.ts';

export const EXPORTS_PER_WINDOW = 2;
export const EXPORT_WINDOW_HOURS = 24;

export interface ExportQuota {
  /** Exports counted in the last 24 hours. */
  used: number;
  remaining: number;
  /** When the next export becomes possible, if none is possible now (ISO-8601 UTC). */
  nextAllowedAt: string | null;
}

/**
 * Exports counted against the limit: downloads that started in the last 24 hours and did not fail
 * on the server's side. One the client stopped after its first byte (`cancelled`) counts; a link
 * never used costs nothing, and neither does a download whose server failed or stopped while
 * sending (`failed`, or a `running` row without a recent heartbeat).
 */
export async function exportQuota(
  db: Db,
  tenantId: string,
  options: LivenessOptions = {},
): Promise<ExportQuota> {
  const e = backupEvents;
  await markInterrupted(db, tenantId, { kind: 'export', staleAfterMs: options.staleAfterMs });
  const rows = await queryRows<{ frees_at: string }>(
    db,
    sql`SELECT to_char((${e.startedAt} + make_interval(hours => ${EXPORT_WINDOW_HOURS})) AT TIME ZONE 'UTC',
                       'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS frees_at
        FROM ${e}
        WHERE ${e.tenantId} = ${tenantId} AND ${e.kind} = 'export' AND ${e.outcome} <> 'failed'
          AND NOT ${isStale(options.staleAfterMs)}
          AND ${e.startedAt} > now() - make_interval(hours => ${EXPORT_WINDOW_HOURS})
        ORDER BY ${e.startedAt} ASC`,
  );
  const used = rows.length;
  const remaining = Math.max(0, EXPORTS_PER_WINDOW - used);
  let nextAllowedAt: string | null = null;
  if (remaining === 0) {
    // The limit frees up when enough of the oldest counted exports have left the window.
    nextAllowedAt = rows[used - EXPORTS_PER_WINDOW]!.frees_at;
  }
  return { used, remaining, nextAllowedAt };
}

export function exportLimitMessage(nextAllowedAt: string): string {
  return `Export limit reached: ${EXPORTS_PER_WINDOW} exports per organization per ${EXPORT_WINDOW_HOURS} hours. The next export is possible at ${nextAllowedAt}.`;
}

/**
 * Serializes export starts of one organization until the caller's transaction ends, so two
 * downloads starting at the same moment cannot both see a free slot. (An advisory lock rather than a
 * row lock on the tenant, so starting a download never waits on writes to the organization's data.)
 */
export async function lockExportStarts(tx: Db, tenantId: string): Promise<void> {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`hisaabo:export-limit:${tenantId}`}, 0))`,
  );
}

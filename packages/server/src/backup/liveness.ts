import { type SQL, and, eq, sql } from 'drizzle-orm';
import { backupEvents, type Db } from '@hisaabo/db';
import type { Logger } from '../logger.ts';
import type { BackupEventKind } from './events.ts';

/** How often a running export or restore tells the database it is still alive. */
export const HEARTBEAT_INTERVAL_MS = 15_000;
/**
 * A running event silent for this long is taken to be dead: its process crashed or was killed.
 * Several missed heartbeats, so a slow database or a busy process is not mistaken for a crash.
 */
export const STALE_AFTER_MS = 2 * 60_000;

export const INTERRUPTED_MESSAGES: Readonly<Record<BackupEventKind, string>> = {
  export: 'interrupted (the server stopped while sending)',
  restore: 'interrupted (the server stopped while restoring; nothing was imported)',
  stored: 'interrupted (the process stopped while writing the backup; older backups are kept)',
};

export interface LivenessOptions {
  /** Overrides STALE_AFTER_MS. */
  staleAfterMs?: number;
}

// A running event's last sign of life is `heartbeat_at`, written on the database's clock, so it is
// comparable with `now()` whichever process wrote it; before the first heartbeat, its start.
const e = backupEvents;
const lastSignOfLife = sql`coalesce(${e.heartbeatAt}, ${e.startedAt})`;

/** True for a `running` event whose process has not been heard from for `staleAfterMs`. */
export function isStale(staleAfterMs: number = STALE_AFTER_MS): SQL {
  return sql`(${e.outcome} = 'running' AND ${lastSignOfLife} < now() - ${staleAfterMs} * interval '1 millisecond')`;
}

/**
 * Records the organization's dead `running` events as failed, so the table itself ends up truthful.
 * Rows another transaction holds (a heartbeat, a finish, another reader marking them) are skipped
 * rather than waited for; readers treat a stale row as failed whether or not it is marked yet.
 */
export async function markInterrupted(
  db: Db,
  tenantId: string,
  options: LivenessOptions & { kind?: BackupEventKind } = {},
): Promise<void> {
  const scope = options.kind
    ? and(eq(e.tenantId, tenantId), eq(e.kind, options.kind))
    : eq(e.tenantId, tenantId);
  // The finish time is computed in the subquery, not in SET: Citus refuses STABLE functions
  // (timestamptz + interval) with column references in an UPDATE's target list. And a searched
  // CASE: Citus mis-types the simple form `CASE kind WHEN … THEN $1` (text = boolean).
  await db.execute(sql`
    UPDATE ${e}
    SET outcome = 'failed',
        finished_at = stale.last_sign_of_life,
        error = CASE WHEN ${e.kind} = 'export' THEN ${INTERRUPTED_MESSAGES.export}
                     WHEN ${e.kind} = 'stored' THEN ${INTERRUPTED_MESSAGES.stored}
                     ELSE ${INTERRUPTED_MESSAGES.restore} END
    FROM (
      SELECT ${e.id} AS id, ${lastSignOfLife} AS last_sign_of_life FROM ${e}
      WHERE ${scope} AND ${isStale(options.staleAfterMs)}
      ORDER BY ${e.id}
      FOR UPDATE SKIP LOCKED
    ) AS stale
    WHERE ${e.id} = stale.id AND ${e.outcome} = 'running'`);
}

export interface Heartbeat {
  /** Sends a heartbeat now unless one is already on its way. Never throws, never waits. */
  beat(): void;
  /** Stops the timer; resolves once a heartbeat in flight has settled. */
  stop(): Promise<void>;
}

/**
 * Keeps a running event's last sign of life fresh until stopped. Heartbeats run beside the transfer
 * and never hold it up; at most one is in flight (on the embedded database a query waits for the
 * backup's transaction, so they must not pile up), and a failed one is logged, not thrown.
 */
export function startHeartbeat(
  db: Db,
  eventId: string,
  logger: Pick<Logger, 'warn'>,
  intervalMs: number = HEARTBEAT_INTERVAL_MS,
): Heartbeat {
  let inFlight: Promise<void> | null = null;
  let stopped = false;
  const beat = () => {
    if (stopped || inFlight) return;
    inFlight = (async () => {
      await db
        .update(e)
        .set({
          heartbeatAt: sql`now()`,
          // How long it has run so far, for the history; the finish writes the final duration.
          durationMs: sql`(extract(epoch FROM now() - ${e.startedAt}) * 1000)::int`,
        })
        // A heartbeat arriving after the finish must not touch the final duration.
        .where(and(eq(e.id, eventId), eq(e.outcome, 'running')));
    })()
      .catch((error: unknown) => logger.warn('backup heartbeat failed', { eventId, error }))
      .finally(() => {
        inFlight = null;
      });
  };
  const timer = setInterval(beat, intervalMs);
  // A heartbeat must never keep a stopping process alive.
  timer.unref();
  return {
    beat,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}

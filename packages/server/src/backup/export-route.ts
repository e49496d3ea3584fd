import { createReadStream, createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Context } from 'hono';
import { type ExportSummary, exportTenant } from '@hisaabo/backup';
import type { Database } from '@hisaabo/db';
import type { AppEnv } from '../context.ts';
import type { Logger } from '../logger.ts';
import { checkDownload, startDownload } from './download-start.ts';
import { finishBackupEvent } from './events.ts';
import { exportEndMessages } from './export-outcome.ts';
import { BackupHttpError, jsonErrorResponse } from './http-errors.ts';
import { instanceId } from './instance.ts';
import { startHeartbeat } from './liveness.ts';
import { backupSettings, linkSigner } from './settings.ts';
import type { BackupRouteDeps } from './route-deps.ts';
import { checkLinkToken } from './token-check.ts';
import { ServerStoppingError } from './transfers.ts';
import { IdleTransferError, toWebStream } from './web-stream.ts';

/** `hisaabo-<slug>-<YYYY-MM-DD>.tar.gz`, dated in UTC like the archive's own timestamps. */
export function archiveFileName(slug: string, now = new Date()): string {
  return `hisaabo-${slug}-${now.toISOString().slice(0, 10)}.tar.gz`;
}

/**
 * GET /api/export/:tenantId?token=…: sends the organization's archive to an owner's signed link.
 * With `&check=1` it only answers whether the link would work now (204, or the error it would
 * give), without spending the link or counting an export.
 *
 * The download counts against the daily limit from its first byte, whatever the client does next;
 * only a failure on the server's side (the database failed, the server stopped) gives it back.
 */
export function exportHandler(deps: BackupRouteDeps) {
  const { database, config } = deps;
  const idleMs = backupSettings(config).idleTransferMs;
  return async (c: Context<AppEnv>): Promise<Response> => {
    const logger = c.get('logger');
    // Made before the download counts, so nothing after that point can fail before bytes flow.
    const instance = await instanceId(database.db);
    let started: Awaited<ReturnType<typeof startDownload>>;
    try {
      const claims = checkLinkToken(
        linkSigner(config),
        'export',
        c.req.query('token'),
        c.req.param('tenantId') ?? '',
      );
      if (c.req.query('check') === '1') {
        await checkDownload(database.db, claims);
        return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
      }
      started = await startDownload(database.db, claims);
    } catch (error) {
      if (error instanceof BackupHttpError) {
        logger.info('export refused', { code: error.code, status: error.status });
        return jsonErrorResponse(error);
      }
      throw error;
    }

    const { tenant, eventId } = started;
    const began = performance.now();
    // Without it, a download whose process dies would stay `running` and count against the limit.
    const heartbeat = startHeartbeat(database.db, eventId, logger);
    const aborted = new AbortController();
    const stopOnShutdown = () => aborted.abort(deps.transfers.signal.reason);
    deps.transfers.signal.addEventListener('abort', stopOnShutdown, { once: true });
    const clientGone = () => aborted.abort(new Error('the client went away'));
    c.req.raw.signal.addEventListener('abort', clientGone, { once: true });
    let progressed = false;
    const handle = exportTenant(database, tenant.id, {
      instanceId: instance,
      signal: aborted.signal,
      onProgress: () => {
        // The first beat goes out once the export's snapshot is open: on the embedded database it
        // then lands right after that transaction, ahead of readers that queued behind it.
        if (progressed) return;
        progressed = true;
        heartbeat.beat();
      },
    });

    let settle!: (end: ExportEnd) => void;
    const ended = new Promise<ExportEnd>((resolve) => {
      settle = resolve;
    });
    deps.transfers.track(
      ended
        .then(async (end) => {
          await heartbeat.stop();
          deps.transfers.signal.removeEventListener('abort', stopOnShutdown);
          c.req.raw.signal.removeEventListener('abort', clientGone);
          await recordEnd(database, eventId, end, performance.now() - began, logger, tenant.id);
        })
        .catch((recordError: unknown) =>
          logger.error('could not record the export outcome', { error: recordError }),
        ),
    );

    let source: Readable;
    let summary: Promise<ExportSummary>;
    let cleanup: () => Promise<void> = async () => {};
    if (deps.spool) {
      // The embedded database has one connection: write the archive at engine speed, then send it
      // from the file at whatever speed the client reads.
      const spool = deps.spool;
      const file = spool.file('export');
      cleanup = () => spool.remove(file);
      try {
        await pipeline(handle.stream, createWriteStream(file));
        const written = await handle.done;
        summary = Promise.resolve(written);
      } catch (error) {
        await cleanup();
        const end = failureBeforeSending(error, aborted.signal);
        settle(end);
        return jsonErrorResponse(spoolFailureResponse(end));
      }
      source = createReadStream(file, { highWaterMark: 256 * 1024 });
    } else {
      source = handle.stream;
      summary = handle.done;
    }

    let bytesSent = 0;
    let finished = false;
    const finish = (end: ExportEnd) => {
      if (finished) return;
      finished = true;
      // A download ended by the server (idle client, stopping server) must not leave the client
      // waiting on a connection that will never carry another byte; nor may it hold the socket.
      if (end.kind === 'idle' || end.kind === 'server-stopped' || end.kind === 'server-failed')
        closeConnection(c);
      void cleanup().finally(() => settle(end));
    };
    summary.catch((error: unknown) => {
      if (!deps.spool) finish(failureWhileSending(error, aborted.signal, bytesSent));
    });
    const body = toWebStream(source, {
      idleMs,
      onBytes: (bytes) => {
        bytesSent += bytes;
      },
      onEnd: () =>
        void summary.then(
          (s) => finish({ kind: 'sent', summary: s }),
          () => {},
        ),
      onIdle: () => finish({ kind: 'idle', bytesSent, idleMs }),
      onCancel: (reason) => {
        if (!deps.spool) aborted.abort(reason);
        if (reason instanceof IdleTransferError) return;
        finish(
          bytesSent > 0 ? { kind: 'client-stopped', bytesSent } : { kind: 'client-gone-before-first-byte' },
        );
      },
    });
    if (deps.spool) {
      // A stopping server ends a download in progress from the file too.
      const stopSending = () => {
        finish({ kind: 'server-stopped', reason: deps.transfers.signal.reason });
        source.destroy(deps.transfers.signal.reason as Error);
      };
      if (deps.transfers.signal.aborted) stopSending();
      else deps.transfers.signal.addEventListener('abort', stopSending, { once: true });
      void ended.then(() => deps.transfers.signal.removeEventListener('abort', stopSending));
    }
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'application/gzip',
        'content-disposition': `attachment; filename="${archiveFileName(tenant.slug)}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  };
}

/**
 * Closes the client's connection. Ending the response stream is not enough when the client has
 * stopped reading: the HTTP layer is then waiting for the socket to drain and never sees the end.
 */
function closeConnection(c: Context<AppEnv>): void {
  const bindings = c.env as { incoming?: IncomingMessage } | undefined;
  bindings?.incoming?.socket?.destroy();
}

/** How a download ended; decides the history entry and whether it counts against the limit. */
export type ExportEnd =
  | { kind: 'sent'; summary: ExportSummary }
  | { kind: 'client-stopped'; bytesSent: number }
  | { kind: 'idle'; bytesSent: number; idleMs: number }
  | { kind: 'client-gone-before-first-byte' }
  | { kind: 'server-stopped'; reason: unknown }
  | { kind: 'server-failed'; message: string; diskFull: boolean };

function failureBeforeSending(error: unknown, signal: AbortSignal): ExportEnd {
  if (signal.aborted && signal.reason instanceof ServerStoppingError)
    return { kind: 'server-stopped', reason: signal.reason };
  if (signal.aborted) return { kind: 'client-gone-before-first-byte' };
  const code = (error as NodeJS.ErrnoException).code;
  return {
    kind: 'server-failed',
    message: error instanceof Error ? error.message : String(error),
    diskFull: code === 'ENOSPC' || code === 'EDQUOT',
  };
}

function failureWhileSending(error: unknown, signal: AbortSignal, bytesSent: number): ExportEnd {
  if (signal.aborted && signal.reason instanceof ServerStoppingError)
    return { kind: 'server-stopped', reason: signal.reason };
  if (signal.aborted && signal.reason instanceof IdleTransferError)
    return { kind: 'idle', bytesSent, idleMs: signal.reason.idleMs };
  if (signal.aborted)
    return bytesSent > 0 ? { kind: 'client-stopped', bytesSent } : { kind: 'client-gone-before-first-byte' };
  return {
    kind: 'server-failed',
    message: error instanceof Error ? error.message : String(error),
    diskFull: false,
  };
}

function spoolFailureResponse(end: ExportEnd): BackupHttpError {
  if (end.kind === 'server-failed' && end.diskFull)
    return new BackupHttpError(
      507,
      'INSUFFICIENT_STORAGE',
      "The server's disk is full: the backup could not be prepared. Nothing was counted; try again once space is freed.",
    );
  if (end.kind === 'server-stopped')
    return new BackupHttpError(
      503,
      'SERVER_STOPPING',
      'The server is stopping; nothing was counted. Try again shortly.',
    );
  return new BackupHttpError(
    500,
    'EXPORT_FAILED',
    'The backup could not be prepared on the server; nothing was counted.',
  );
}

async function recordEnd(
  database: Database,
  eventId: string,
  end: ExportEnd,
  durationMs: number,
  logger: Logger,
  tenantId: string,
): Promise<void> {
  if (end.kind === 'sent') {
    const rows = Object.fromEntries(Object.entries(end.summary.tables).map(([table, t]) => [table, t.rows]));
    await finishBackupEvent(database.db, eventId, {
      outcome: 'succeeded',
      bytes: end.summary.bytes,
      rows,
      durationMs: end.summary.durationMs,
    });
    logger.info('export finished', { tenantId, bytes: end.summary.bytes, rows: end.summary.totalRows });
    return;
  }
  const messages = exportEndMessages(end);
  await finishBackupEvent(database.db, eventId, {
    outcome: messages.counted ? 'cancelled' : 'failed',
    bytes: 'bytesSent' in end ? end.bytesSent : undefined,
    durationMs,
    error: messages.recorded,
  });
  logger.warn('export ended early', { tenantId, end: end.kind, counted: messages.counted });
}

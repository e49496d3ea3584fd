import type { Context } from 'hono';
import { exportTenant } from '@hisaabo/backup';
import type { Database } from '@hisaabo/db';
import type { ServerConfig } from '../config.ts';
import type { AppEnv } from '../context.ts';
import { startDownload } from './downloadStart.ts';
import { finishBackupEvent } from './events.ts';
import { BackupHttpError, jsonErrorResponse } from './httpErrors.ts';
import { instanceId } from './instance.ts';
import { startHeartbeat } from './liveness.ts';
import { linkSigner } from './settings.ts';
import { checkLinkToken } from './tokenCheck.ts';
import { toWebStream } from './webStream.ts';

/** `hisaabo-<slug>-<YYYY-MM-DD>.tar.gz`, dated in UTC like the archive's own timestamps. */
export function archiveFileName(slug: string, now = new Date()): string {
  return `hisaabo-${slug}-${now.toISOString().slice(0, 10)}.tar.gz`;
}

/** GET /api/export/:tenantId?token=…: streams the organization's archive to an owner's signed link. */
export function exportHandler(database: Database, config: ServerConfig) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const logger = c.get('logger');
    // Made before the download counts, so nothing after that point can fail before bytes flow.
    const source = await instanceId(database.db);
    let started: Awaited<ReturnType<typeof startDownload>>;
    try {
      const claims = checkLinkToken(
        linkSigner(config),
        'export',
        c.req.query('token'),
        c.req.param('tenantId') ?? '',
      );
      started = await startDownload(database.db, claims);
    } catch (error) {
      if (error instanceof BackupHttpError) {
        logger.info('export refused', { code: error.code, status: error.status });
        return jsonErrorResponse(error);
      }
      throw error;
    }

    const { tenant, eventId } = started;
    const aborted = new AbortController();
    // Without it, a download whose process dies would stay `running` and count against the limit.
    const heartbeat = startHeartbeat(database.db, eventId, logger);
    let progressed = false;
    const handle = exportTenant(database, tenant.id, {
      instanceId: source,
      signal: aborted.signal,
      onProgress: () => {
        // The first beat goes out once the export's snapshot is open: on the embedded database it
        // then lands right after that transaction, ahead of readers that queued behind it.
        if (progressed) return;
        progressed = true;
        heartbeat.beat();
      },
    });
    const began = performance.now();
    handle.done
      .finally(() => heartbeat.stop())
      .then(
        async (summary) => {
          const rows = Object.fromEntries(
            Object.entries(summary.tables).map(([table, t]) => [table, t.rows]),
          );
          await finishBackupEvent(database.db, eventId, {
            outcome: 'succeeded',
            bytes: summary.bytes,
            rows,
            durationMs: summary.durationMs,
          });
          logger.info('export finished', {
            tenantId: tenant.id,
            bytes: summary.bytes,
            rows: summary.totalRows,
          });
        },
        async (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          // A failed download does not count against the limit (only running and finished ones do).
          await finishBackupEvent(database.db, eventId, {
            outcome: 'failed',
            durationMs: performance.now() - began,
            error: aborted.signal.aborted ? 'download interrupted by the client' : message,
          });
          logger.warn('export failed', {
            tenantId: tenant.id,
            error: message,
            interrupted: aborted.signal.aborted,
          });
        },
      )
      .catch((recordError: unknown) =>
        logger.error('could not record the export outcome', { error: recordError }),
      );

    const body = toWebStream(handle.stream, () =>
      aborted.abort(new Error('download interrupted by the client')),
    );
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

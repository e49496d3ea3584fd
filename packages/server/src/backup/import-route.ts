import { createReadStream, createWriteStream } from 'node:fs';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { BackupError, restoreTenant } from '@hisaabo/backup';
import type { AppEnv } from '../context.ts';
import { tablesWithData, targetNotEmptyMessage } from './emptiness.ts';
import { finishBackupEvent, recordRefusedBackupEvent, startBackupEvent } from './events.ts';
import { BackupHttpError, jsonErrorResponse } from './http-errors.ts';
import { startHeartbeat } from './liveness.ts';
import { cutOffRefusal } from './upload-cut-off.ts';
import { ownerFailure } from './owner-failure.ts';
import { checkOwner } from './ownership.ts';
import { backupSettings, linkSigner } from './settings.ts';
import { checkLinkToken, consumeFailure } from './token-check.ts';
import { consumeBackupToken } from './token-store.ts';
import type { BackupRouteDeps } from './route-deps.ts';
import { ServerStoppingError } from './transfers.ts';
import type { ErrorCode } from '../error-codes.ts';
import { openUpload, type Upload } from './upload-stream.ts';
import { IdleTransferError } from './web-stream.ts';

const ACCEPTED_TYPES = new Set(['application/gzip', 'application/octet-stream']);

/**
 * POST /api/selfImport/:tenantId?token=…: restores the uploaded .tar.gz into the empty organization
 * in one transaction, never holding it in memory. On PostgreSQL the body streams straight into the
 * restore (an upload that stops sending is cut off); on the embedded database, whose one connection
 * no client's network may hold, the body is received to a file first and the restore starts once it
 * is complete.
 */
export function importHandler(deps: BackupRouteDeps) {
  const { database, config } = deps;
  const settings = backupSettings(config);
  return async (c: Context<AppEnv>): Promise<Response> => {
    const logger = c.get('logger');
    const received = performance.now();
    const tenantId = (c.req.param('tenantId') ?? '').toLowerCase();
    let upload: Upload;
    let opened: Upload | undefined;
    let userId: string;
    // Set once the link is spent by an owner: refusals from then on belong in the history.
    let acceptedFor: string | undefined;
    try {
      const claims = checkLinkToken(linkSigner(config), 'import', c.req.query('token'), tenantId);
      upload = opened = await checkRequest(c, settings.maxUploadBytes, settings.idleTransferMs);
      // From here on the link is spent, whatever happens next.
      const consumed = await consumeBackupToken(database.db, { id: claims.id, purpose: 'import', tenantId });
      if (!consumed.ok) throw consumeFailure(consumed);
      userId = consumed.userId;
      const owner = await checkOwner(database.db, userId, tenantId);
      if (!owner.ok) throw ownerFailure(owner);
      acceptedFor = userId;
      const occupied = await tablesWithData(database.db, tenantId);
      if (occupied.length > 0)
        throw new BackupHttpError(409, 'TARGET_NOT_EMPTY', targetNotEmptyMessage(occupied));
    } catch (error) {
      await opened?.release();
      if (error instanceof BackupHttpError) {
        logger.info('restore refused', { code: error.code, status: error.status });
        if (acceptedFor) {
          await recordRefusedBackupEvent(database.db, {
            tenantId,
            userId: acceptedFor,
            kind: 'restore',
            durationMs: performance.now() - received,
            error: error.message,
          }).catch((recordError: unknown) =>
            logger.error('could not record the restore outcome', { error: recordError }),
          );
        }
        return jsonErrorResponse(error);
      }
      throw error;
    }

    const eventId = await startBackupEvent(database.db, { tenantId, userId, kind: 'restore' });
    return deps.transfers.track(
      (async () => {
        // Without it, a restore whose process dies would be listed as running forever.
        const heartbeat = startHeartbeat(database.db, eventId, logger);
        let progressed = false;
        const began = performance.now();
        const spooled = deps.spool?.file('upload');
        let input: Readable = upload.stream;
        // A stopping server ends the restore by breaking its input: the transaction rolls back. It
        // may come before the restore has begun to read; the restore then learns of it when it does.
        const stop = () => {
          const reason = deps.transfers.signal.reason as Error;
          // Without waiting on a client that sends nothing: a stop does not wait for the idle limit.
          upload.interrupt(reason);
          if (input !== upload.stream) {
            // The received file: its error must not go unobserved until the restore reads it.
            input.on('error', () => {});
            input.destroy(reason);
          }
        };
        deps.transfers.signal.addEventListener('abort', stop, { once: true });
        try {
          if (deps.transfers.signal.aborted) throw deps.transfers.signal.reason;
          if (spooled) {
            await pipeline(upload.stream, createWriteStream(spooled)).catch((error: unknown) => {
              throw receivingFailure(error);
            });
            if (deps.transfers.signal.aborted) throw deps.transfers.signal.reason;
            input = createReadStream(spooled, { highWaterMark: 256 * 1024 });
          }
          const report = await restoreTenant(database, tenantId, input, {
            maxArchiveBytes: settings.maxArchiveBytes,
            // A test copy next to the original must not bill the same customers: opt in to pausing.
            pauseRecurring: c.req.query('pauseRecurring') === 'true',
            onProgress: () => {
              // The first beat goes out from inside the restore's transaction: on the embedded
              // database it then lands right after it, ahead of readers that queued behind it.
              if (progressed) return;
              progressed = true;
              heartbeat.beat();
            },
          }).finally(() => heartbeat.stop());
          await upload.release();
          await finishBackupEvent(database.db, eventId, {
            outcome: 'succeeded',
            bytes: upload.bytes(),
            rows: report.rowsInserted,
            durationMs: report.durationMs,
          });
          logger.info('restore finished', { tenantId, bytes: upload.bytes() });
          return c.json({ ok: true, ...report }, 200);
        } catch (caught) {
          await heartbeat.stop();
          const error = deps.transfers.signal.aborted ? deps.transfers.signal.reason : caught;
          const durationMs = Math.round(performance.now() - began);
          const refusal = restoreRefusal(
            error,
            upload,
            durationMs,
            settings.maxUploadBytes,
            Math.round(settings.idleTransferMs / 1000),
            (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket,
          );
          // Recorded before the rest of the upload is read and discarded, which may take up to the idle limit.
          await finishBackupEvent(database.db, eventId, {
            outcome: 'failed',
            bytes: upload.bytes(),
            durationMs,
            error: refusal.recorded,
          }).catch((recordError: unknown) =>
            logger.error('could not record the restore outcome', { error: recordError }),
          );
          await upload.release();
          if (refusal.status === 500) logger.error('restore failed', { tenantId, error });
          else logger.info('restore refused', { tenantId, status: refusal.status, code: refusal.body.error });
          return c.json(refusal.body, refusal.status);
        } finally {
          deps.transfers.signal.removeEventListener('abort', stop);
          if (spooled) await deps.spool?.remove(spooled);
        }
      })(),
    );
  };
}

/** Thrown when the client broke off while its upload was being received. */
class UploadInterruptedError extends Error {}

/** Errors of our own making pass through; anything else while receiving is the client breaking off. */
function receivingFailure(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof IdleTransferError || error instanceof ServerStoppingError) return error;
  if (
    code === 'ENOSPC' ||
    code === 'EDQUOT' ||
    (error instanceof Error && error.name === 'UploadTooLargeError')
  )
    return error;
  return new UploadInterruptedError('the upload broke off before it was complete');
}

/** Cheap checks on the request itself, made before the link is spent: type, declared size, emptiness. */
async function checkRequest(c: Context<AppEnv>, maxUploadBytes: number, idleMs: number): Promise<Upload> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!ACCEPTED_TYPES.has(type)) {
    throw new BackupHttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the .tar.gz as the raw body with Content-Type: application/gzip (or application/octet-stream); got ${type || 'none'}`,
    );
  }
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  if (declared > maxUploadBytes) throw uploadTooLarge(maxUploadBytes);
  const upload = declared === 0 ? undefined : await openUpload(c.req.raw.body, maxUploadBytes, idleMs);
  if (!upload)
    throw new BackupHttpError(
      400,
      'EMPTY_BODY',
      'The request body is empty: send the .tar.gz file as the body',
    );
  return upload;
}

function uploadTooLarge(limit: number): BackupHttpError {
  return new BackupHttpError(
    413,
    'PAYLOAD_TOO_LARGE',
    `The upload is larger than this server accepts (${limit} bytes, HISAABO_MAX_UPLOAD_BYTES)`,
  );
}

type Refusal = {
  status: 400 | 408 | 409 | 413 | 404 | 422 | 500 | 503 | 507;
  /** The reason kept in the history: never a value read from the archive's rows. */
  recorded: string;
  body: { error: string; message: string } & Record<string, unknown>;
};

function restoreRefusal(
  error: unknown,
  upload: Upload,
  durationMs: number,
  maxUploadBytes: number,
  idleSeconds: number,
  socket: Socket | undefined,
): Refusal {
  const refuse = (
    status: Refusal['status'],
    code: ErrorCode,
    message: string,
    extra: Record<string, unknown> = {},
  ): Refusal => ({
    status,
    recorded: message,
    body: { ...extra, error: code, message },
  });
  // The size guard's own error may reach us wrapped by the engine; the guard's flag is the truth.
  if (upload.tooLarge()) return refuse(413, 'PAYLOAD_TOO_LARGE', uploadTooLarge(maxUploadBytes).message);
  if (error instanceof ServerStoppingError)
    return refuse(
      503,
      'SERVER_STOPPING',
      `Interrupted: ${error.message} during the restore; nothing was imported. Restore again once it is back.`,
    );
  // The engine may wrap the cut-off as a corrupt archive; the upload's own flag is the truth.
  if (error instanceof IdleTransferError || upload.timedOut())
    return refuse(
      408,
      'UPLOAD_TIMED_OUT',
      `The upload was cut off: the client sent nothing for ${idleSeconds} s; nothing was imported.`,
    );
  // A body that broke off reaches the engine as a truncated archive, or the spool as a failed copy; the read's error is the truth.
  const cutOff = upload.cutOff();
  if (cutOff) {
    const refusal = cutOffRefusal(cutOff, socket, upload.bytes());
    return refuse(refusal.status, refusal.code, refusal.message);
  }
  if (error instanceof UploadInterruptedError)
    return refuse(400, 'UPLOAD_INTERRUPTED', `${error.message}; nothing was imported.`);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return refuse(
      507,
      'INSUFFICIENT_STORAGE',
      "The server's disk is full: the upload could not be received. Nothing was imported.",
    );
  if (error instanceof BackupError) {
    switch (error.code) {
      case 'TARGET_NOT_EMPTY':
        return refuse(409, 'TARGET_NOT_EMPTY', error.message);
      case 'ARCHIVE_TOO_LARGE':
        return refuse(413, 'ARCHIVE_TOO_LARGE', error.message);
      case 'TENANT_NOT_FOUND':
        return refuse(404, 'TENANT_NOT_FOUND', error.message);
      default:
        return {
          ...refuse(422, error.code, error.message, {
            ok: false,
            errors: error.errors,
            warnings: [],
            durationMs,
          }),
          recorded: recordedInvalidArchive(error),
        };
    }
  }
  return refuse(500, 'RESTORE_FAILED', 'The restore failed on the server; nothing was imported');
}

/**
 * The uploader gets every problem in full; the history keeps where the first one is and, for
 * problems of the archive as a whole (compression, manifest, hashes, version), what it is. A problem
 * on a row may quote the row's values, so only its place is kept.
 */
function recordedInvalidArchive(error: BackupError): string {
  const first = error.errors[0];
  const count = `${error.errors.length} problem${error.errors.length === 1 ? '' : 's'}`;
  if (!first || first.line === null) return `${error.code}: ${error.message}`;
  const where = [first.table, `line ${first.line}`, first.column && `column ${first.column}`]
    .filter(Boolean)
    .join(', ');
  return `${error.code}: ${count} in the archive; the first at ${where}`;
}

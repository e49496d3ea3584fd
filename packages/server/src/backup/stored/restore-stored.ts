import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { BackupError, type RestoreReport, restoreTenant } from '@hisaabo/backup';
import type { Database } from '@hisaabo/db';
import { CodedTrpcError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { tablesWithData, targetNotEmptyMessage } from '../emptiness.ts';
import { finishBackupEvent, startBackupEvent } from '../events.ts';
import { startHeartbeat } from '../liveness.ts';
import { tenantFolder } from './files.ts';
import { findVerifiedBackup } from './store.ts';

export interface StoredRestoreRequest {
  targetTenantId: string;
  sourceTenantId: string;
  backupId: string;
  userId: string;
  pauseRecurring: boolean;
  maxArchiveBytes: number;
}

/**
 * Restores a stored backup into an empty organization, read straight from the server's disk (no
 * upload): the same engine and the same history entry as an uploaded restore. The caller has
 * checked that the user owns both organizations.
 */
export async function restoreStoredBackup(
  database: Database,
  directory: string,
  request: StoredRestoreRequest,
  logger: Logger,
): Promise<RestoreReport> {
  const { db } = database;
  const backup = await findVerifiedBackup(db, request.sourceTenantId, request.backupId);
  if (!backup) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: 'No such stored backup (it may have been rotated away)',
    });
  }
  if (backup.encrypted) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message:
        'This backup is encrypted to keys the server does not hold: download it and restore it with `hisaabo restore --identity <key file>`',
    });
  }
  const occupied = await tablesWithData(db, request.targetTenantId);
  if (occupied.length > 0) {
    throw new CodedTrpcError({
      code: 'CONFLICT',
      hisaaboCode: 'TARGET_NOT_EMPTY',
      message: targetNotEmptyMessage(occupied),
    });
  }
  const file = path.join(tenantFolder(directory, request.sourceTenantId), backup.fileName);
  const bytes = (await stat(file)).size;
  const eventId = await startBackupEvent(db, {
    tenantId: request.targetTenantId,
    userId: request.userId,
    kind: 'restore',
  });
  const heartbeat = startHeartbeat(db, eventId, logger);
  let progressed = false;
  const began = performance.now();
  try {
    const report = await restoreTenant(database, request.targetTenantId, createReadStream(file), {
      maxArchiveBytes: request.maxArchiveBytes,
      pauseRecurring: request.pauseRecurring,
      onProgress: () => {
        if (progressed) return;
        progressed = true;
        heartbeat.beat();
      },
    }).finally(() => heartbeat.stop());
    await finishBackupEvent(db, eventId, {
      outcome: 'succeeded',
      bytes,
      rows: report.rowsInserted,
      durationMs: report.durationMs,
    });
    return report;
  } catch (error) {
    const message =
      error instanceof BackupError
        ? `${error.code}: ${error.message}`
        : 'The restore failed on the server; nothing was imported';
    await finishBackupEvent(db, eventId, {
      outcome: 'failed',
      bytes,
      durationMs: performance.now() - began,
      error: message,
    }).catch((e: unknown) => logger.error('could not record the restore outcome', { error: e }));
    if (error instanceof BackupError) {
      throw new CodedTrpcError({
        code: error.code === 'TARGET_NOT_EMPTY' ? 'CONFLICT' : 'UNPROCESSABLE_CONTENT',
        hisaaboCode: error.code,
        message: error.message,
      });
    }
    throw error;
  }
}

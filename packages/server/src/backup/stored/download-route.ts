import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'hono';
import type { Database, Db } from '@hisaabo/db';
import type { ServerConfig } from '../../config.ts';
import type { AppEnv } from '../../context.ts';
import { BackupHttpError, jsonErrorResponse } from '../http-errors.ts';
import { ownerFailure } from '../owner-failure.ts';
import { checkOwner } from '../ownership.ts';
import { linkSigner } from '../settings.ts';
import { checkLinkToken, consumeFailure } from '../token-check.ts';
import { consumeBackupToken } from '../token-store.ts';
import { toWebStream } from '../web-stream.ts';
import { tenantFolder } from './files.ts';
import { storedBackupSettings } from './settings.ts';
import { findVerifiedBackup } from './store.ts';

/**
 * GET /api/stored-backups/:tenantId/:backupId?token=…: sends a stored backup's file as it is on disk
 * (encrypted ones stay encrypted). Single-use owner links; not counted against the export limit,
 * since it reads a file and not the database. With `&check=1` it only answers whether the link would
 * work now (204, or the refusal), spending nothing.
 */
export function storedDownloadHandler(database: Database, config: ServerConfig) {
  const settings = storedBackupSettings(config);
  return async (c: Context<AppEnv>): Promise<Response> => {
    const logger = c.get('logger');
    const tenantId = (c.req.param('tenantId') ?? '').toLowerCase();
    const backupId = (c.req.param('backupId') ?? '').toLowerCase();
    try {
      const claims = checkLinkToken(linkSigner(config), 'stored', c.req.query('token'), tenantId);
      if (claims.backupId !== backupId) {
        throw new BackupHttpError(401, 'TOKEN_INVALID', 'Invalid token: the link is for another backup');
      }
      // The page checks the link first (`&check=1`, then hands it to the browser's download
      // manager): the same checks in a transaction that a check rolls back, so it spends nothing.
      const found = await database.db.transaction(async (tx) => {
        const t = tx as unknown as Db;
        const consumed = await consumeBackupToken(t, { id: claims.id, purpose: 'stored', tenantId });
        if (!consumed.ok) throw consumeFailure(consumed);
        const owner = await checkOwner(t, consumed.userId, tenantId);
        if (!owner.ok) throw ownerFailure(owner);
        const backup = await findVerifiedBackup(t, tenantId, backupId);
        if (!backup) throw notFound();
        const file = path.join(tenantFolder(settings.directory, tenantId), backup.fileName);
        const size = await stat(file).then(
          (s) => s.size,
          () => {
            throw notFound();
          },
        );
        if (c.req.query('check') === '1') throw new CheckPassed();
        return { backup, file, size };
      });
      const { backup, file, size } = found;
      const stream = createReadStream(file);
      logger.info('stored backup download', { tenantId, backupId, bytes: size });
      return new Response(
        toWebStream(stream, () => {}),
        {
          status: 200,
          headers: {
            'content-type': backup.encrypted ? 'application/octet-stream' : 'application/gzip',
            'content-length': String(size),
            'content-disposition': `attachment; filename="${backup.fileName}"`,
            'cache-control': 'no-store',
            'x-content-type-options': 'nosniff',
          },
        },
      );
    } catch (error) {
      if (error instanceof CheckPassed) return new Response(null, { status: 204 });
      if (error instanceof BackupHttpError) {
        logger.info('stored backup download refused', { code: error.code, status: error.status });
        return jsonErrorResponse(error);
      }
      throw error;
    }
  };
}

/** Thrown to roll back a check's transaction once every check has passed. */
class CheckPassed extends Error {}

function notFound(): BackupHttpError {
  return new BackupHttpError(
    404,
    'BACKUP_NOT_FOUND',
    'No such stored backup (it may have been rotated away)',
  );
}

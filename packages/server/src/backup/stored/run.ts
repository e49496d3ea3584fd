import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { Encrypter } from 'age-encryption';
import { eq } from 'drizzle-orm';
import { exportTenant, verifyArchive, type VerifyReport } from '@hisaabo/backup';
import { newId, tenants, type Database } from '@hisaabo/db';
import type { Logger } from '../../logger.ts';
import { finishBackupEvent, startBackupEvent } from '../events.ts';
import { instanceId } from '../instance.ts';
import { startHeartbeat } from '../liveness.ts';
import { hashFile, writeDurably } from './durable-file.ts';
import { partialFileName, storedFileName, tenantFolder } from './files.ts';
import { runHook } from './hook.ts';
import { rotate, sweepPartials } from './rotation.ts';
import type { StoredBackupSettings } from './settings.ts';
import {
  attachEvent,
  markDeadRuns,
  markFailed,
  markVerified,
  recordHookOutcome,
  recordRun,
  type StoredBackupTrigger,
} from './store.ts';
import { tee } from './tee.ts';

export interface StoredBackupRequest {
  tenantId: string;
  trigger: StoredBackupTrigger;
  /** Scheduled runs: the slot claimed (once per organization, whatever the number of servers). */
  slot?: Date;
  keep: number;
  /** age public keys; when any, the file is encrypted to them and this server cannot read it. */
  recipients: readonly string[];
  /** Who asked (run now); null for the schedule and the CLI. */
  userId?: string | null;
}

export type StoredBackupOutcome =
  | {
      status: 'verified';
      id: string;
      file: string;
      bytes: number;
      totalRows: number;
      durationMs: number;
      deleted: string[];
      hookOutcome: string | null;
    }
  | { status: 'failed'; id: string; error: string; durationMs: number };

/** A run that was prepared (recorded, claimed): `done` settles when it is written, verified and rotated. */
export interface StartedStoredBackup {
  id: string;
  fileName: string;
  done: Promise<StoredBackupOutcome>;
}

/**
 * Records a stored-backup run and starts it. Resolves undefined when the slot was already claimed
 * by another run (of this process or another). The caller holds a place of the concurrency limit.
 */
export async function startStoredBackup(
  database: Database,
  settings: StoredBackupSettings,
  request: StoredBackupRequest,
  logger: Logger,
): Promise<StartedStoredBackup | undefined> {
  const { db } = database;
  const [tenant] = await db
    .select({ slug: tenants.slug, status: tenants.status })
    .from(tenants)
    .where(eq(tenants.id, request.tenantId));
  if (!tenant || tenant.status === 'deleted') throw new Error(`organization ${request.tenantId} not found`);
  const id = newId();
  const encrypted = request.recipients.length > 0;
  const fileName = storedFileName(tenant.slug, id, new Date(), encrypted);
  const claimed = await recordRun(db, {
    id,
    tenantId: request.tenantId,
    trigger: request.trigger,
    slot: request.slot,
    fileName,
    encrypted,
  });
  if (!claimed) return undefined;
  const done = writeVerifyRotate(database, settings, request, { id, fileName, slug: tenant.slug }, logger);
  return { id, fileName, done };
}

async function writeVerifyRotate(
  database: Database,
  settings: StoredBackupSettings,
  request: StoredBackupRequest,
  run: { id: string; fileName: string; slug: string },
  logger: Logger,
): Promise<StoredBackupOutcome> {
  const { db } = database;
  const began = performance.now();
  const folder = tenantFolder(settings.directory, request.tenantId);
  const finalPath = path.join(folder, run.fileName);
  const partialPath = path.join(folder, partialFileName(run.id));
  const eventId = await startBackupEvent(db, {
    tenantId: request.tenantId,
    userId: request.userId ?? null,
    kind: 'stored',
  });
  await attachEvent(db, run.id, eventId);
  const heartbeat = startHeartbeat(db, eventId, logger);
  let renamed = false;
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // Leftovers of runs that died mid-write are removed before this one adds to the folder.
    await markDeadRuns(db, request.tenantId);
    await sweepPartials(db, settings.directory, request.tenantId);

    const source = await instanceId(db);
    const handle = exportTenant(database, request.tenantId, { instanceId: source });
    let plaintextCheck: Promise<VerifyReport> | undefined;
    let toDisk: Readable = handle.stream;
    if (request.recipients.length > 0) {
      // The server cannot read the file back once it is encrypted, so the plaintext is verified on
      // its way to the encrypter; what reaches the disk is then checked by its hash below.
      const [forFile, forCheck] = tee(handle.stream);
      // A verifier that stops early (it found a problem) must not hold the writer up: drain the rest.
      plaintextCheck = verifyArchive(forCheck).finally(() => forCheck.resume());
      toDisk = await encrypt(forFile, request.recipients);
    }
    const [writing, exporting, checking] = await Promise.allSettled([
      writeDurably(toDisk, partialPath, finalPath),
      handle.done,
      plaintextCheck,
    ]);
    // The writer's error is the cause (a full disk); the exporter then only saw its reader go away.
    if (writing.status === 'rejected') throw writing.reason;
    renamed = true;
    if (exporting.status === 'rejected') throw exporting.reason;
    if (checking.status === 'rejected') throw checking.reason;
    const written = writing.value;
    const summary = exporting.value;
    const plaintext = checking.value;

    // Read the file back: the bytes on disk must be the bytes written, and (unencrypted) pass verify.
    const onDisk = await hashFile(finalPath);
    if (onDisk !== written.sha256) throw new Error('the file read back differs from what was written');
    const report = plaintext ?? (await verifyArchive(createReadStream(finalPath)));
    if (!report.ok) {
      const first = report.errors[0];
      throw new Error(`the backup failed verification: ${first ? first.message : 'unknown problem'}`);
    }
    const rows = Object.fromEntries(Object.entries(summary.tables).map(([table, t]) => [table, t.rows]));
    await markVerified(db, run.id, {
      bytes: written.bytes,
      totalRows: summary.totalRows,
      sha256: written.sha256,
    });
    const deleted = await rotate(db, settings.directory, request.tenantId, request.keep);
    const hookOutcome = settings.hook
      ? await runHook(settings.hook, {
          file: finalPath,
          backupId: run.id,
          tenantId: request.tenantId,
          tenantSlug: run.slug,
        })
      : null;
    if (hookOutcome) await recordHookOutcome(db, run.id, hookOutcome);
    const durationMs = Math.round(performance.now() - began);
    await heartbeat.stop();
    await finishBackupEvent(db, eventId, {
      outcome: 'succeeded',
      bytes: written.bytes,
      rows,
      durationMs,
      verified: true,
      error: hookOutcome && hookOutcome !== 'succeeded' ? `backup kept; hook ${hookOutcome}` : undefined,
    });
    logger.info('stored backup written', {
      tenantId: request.tenantId,
      id: run.id,
      bytes: written.bytes,
      rows: summary.totalRows,
      deleted: deleted.length,
      hook: hookOutcome,
    });
    return {
      status: 'verified',
      id: run.id,
      file: finalPath,
      bytes: written.bytes,
      totalRows: summary.totalRows,
      durationMs,
      deleted,
      hookOutcome,
    };
  } catch (error) {
    const message = failureMessage(error, settings.directory);
    const durationMs = Math.round(performance.now() - began);
    await heartbeat.stop();
    await rm(partialPath, { force: true }).catch(() => {});
    // A file that was renamed but failed its checks must not look like a backup.
    if (renamed) await rm(finalPath, { force: true }).catch(() => {});
    await markFailed(db, run.id, message).catch((e: unknown) =>
      logger.error('could not record the stored backup outcome', { error: e }),
    );
    await finishBackupEvent(db, eventId, {
      outcome: 'failed',
      durationMs,
      error: message,
      verified: false,
    }).catch((e: unknown) => logger.error('could not record the stored backup outcome', { error: e }));
    logger.warn('stored backup failed', { tenantId: request.tenantId, id: run.id, error: message });
    return { status: 'failed', id: run.id, error: message, durationMs };
  }
}

async function encrypt(plaintext: Readable, recipients: readonly string[]): Promise<Readable> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const web = Readable.toWeb(plaintext) as unknown as ReadableStream<Uint8Array>;
  const encrypted = await encrypter.encrypt(web);
  return Readable.fromWeb(encrypted as unknown as NodeWebReadableStream<Uint8Array>);
}

/** Words for the history: a full disk or a missing folder says so, with the directory. */
function failureMessage(error: unknown, directory: string): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return `the disk is full: could not write the backup into ${directory}; older backups are kept`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return `cannot write into ${directory} (${code}); older backups are kept`;
  return error instanceof Error ? error.message : String(error);
}

/** Runs one stored backup to the end, waiting for a place of the concurrency limit. */
export async function runStoredBackup(
  database: Database,
  settings: StoredBackupSettings,
  request: StoredBackupRequest,
  logger: Logger,
): Promise<StoredBackupOutcome | undefined> {
  const release = await settings.limit.acquire();
  try {
    const started = await startStoredBackup(database, settings, request, logger);
    return await started?.done;
  } finally {
    release();
  }
}

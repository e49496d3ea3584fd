import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '@hisaabo/db';
import { partialRunId, tenantFolder } from './files.ts';
import { listStoredBackups, markDeleted, runningIds } from './store.ts';
import { syncFolder } from './durable-file.ts';

/**
 * Keeps the `keep` newest verified backups of the organization and deletes the older ones. Only
 * verified backups count, and `keep` is at least 1, so the newest verified backup is never deleted
 * (a failed run deletes nothing: rotation runs after a verified one only).
 */
export async function rotate(db: Db, directory: string, tenantId: string, keep: number): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be at least 1 (got ${keep})`);
  const verified = await listStoredBackups(db, tenantId, { status: 'verified', limit: 10_000 });
  const older = verified.slice(keep);
  const folder = tenantFolder(directory, tenantId);
  // The record goes first: a file whose record says deleted is never offered, even if removing it fails.
  await markDeleted(
    db,
    older.map((backup) => backup.id),
  );
  for (const backup of older) await rm(path.join(folder, backup.fileName), { force: true });
  if (older.length > 0) await syncFolder(folder);
  return older.map((backup) => backup.fileName);
}

/** Removes partial files left by runs that are no longer running (their process died). */
export async function sweepPartials(db: Db, directory: string, tenantId: string): Promise<string[]> {
  const folder = tenantFolder(directory, tenantId);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const partials = names.filter((name) => partialRunId(name) !== undefined);
  if (partials.length === 0) return [];
  const alive = await runningIds(db, tenantId);
  const dead = partials.filter((name) => !alive.has(partialRunId(name)!));
  for (const name of dead) await rm(path.join(folder, name), { force: true });
  return dead;
}

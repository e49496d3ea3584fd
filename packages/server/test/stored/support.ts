import { mkdtempSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeStoredBackupSettings, type StoredBackupSettings } from '../../src/backup/stored/settings.ts';
import { call, ok } from '../support/trpc.ts';

/** A fresh backup directory of the test's own, removed by `cleanup`. */
export function tempBackupDir(): { directory: string; cleanup: () => Promise<void> } {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'hisaabo-stored-'));
  return { directory, cleanup: () => rm(directory, { recursive: true, force: true }) };
}

export function settingsFor(
  directory: string,
  extra: { concurrency?: number; hook?: string; hookTimeoutSeconds?: number } = {},
): StoredBackupSettings {
  return makeStoredBackupSettings({
    HISAABO_DATA_DIR: directory,
    HISAABO_BACKUP_DIR: directory,
    HISAABO_BACKUP_CONCURRENCY: extra.concurrency ?? 1,
    HISAABO_BACKUP_HOOK: extra.hook,
    HISAABO_BACKUP_HOOK_TIMEOUT_SECONDS: extra.hookTimeoutSeconds ?? 600,
  });
}

/** Files in the organization's folder (partial files included), sorted. */
export function filesOf(directory: string, tenantId: string): string[] {
  try {
    return readdirSync(path.join(directory, tenantId)).sort();
  } catch {
    return [];
  }
}

export interface StoredEntry {
  id: string;
  trigger: string;
  status: 'running' | 'verified' | 'failed';
  fileName: string;
  encrypted: boolean;
  bytes: number | null;
  totalRows: number | null;
  error: string | null;
  hookOutcome: string | null;
}

export async function listStored(baseUrl: string, token: string, tenantId: string): Promise<StoredEntry[]> {
  const result = await ok<{ backups: StoredEntry[] }>(baseUrl, 'storedBackup.list', { tenantId }, { token });
  return result.backups;
}

/**
 * Presses "run now" and waits until the run is over: verified or failed, rotated, and its history
 * entry finished. A run is listed as verified a moment before it has rotated and freed its place on
 * the server; meanwhile "run now" answers 429 (at most HISAABO_BACKUP_CONCURRENCY at once), as
 * documented, and is pressed again.
 */
export async function runNowAndWait(baseUrl: string, token: string, tenantId: string): Promise<StoredEntry> {
  const started = await pressRunNow(baseUrl, token, tenantId);
  for (let i = 0; i < 600; i++) {
    const entry = (await listStored(baseUrl, token, tenantId)).find((b) => b.id === started.id);
    if (entry && entry.status !== 'running' && !(await storedEventRunning(baseUrl, token, tenantId)))
      return entry;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${started.id} did not finish`);
}

async function pressRunNow(baseUrl: string, token: string, tenantId: string): Promise<{ id: string }> {
  for (let i = 0; i < 200; i++) {
    const answer = await call<{ id: string }>(baseUrl, 'backupSchedule.runNow', { tenantId }, { token });
    if (answer.status === 200 && answer.data) return answer.data;
    if (answer.status !== 429)
      throw new Error(`backupSchedule.runNow answered ${answer.status}: ${answer.error?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('backupSchedule.runNow stayed busy for 10 s');
}

async function storedEventRunning(baseUrl: string, token: string, tenantId: string): Promise<boolean> {
  const history = await ok<{ events: { kind: string; outcome: string }[] }>(
    baseUrl,
    'backup.history',
    { tenantId },
    { token },
  );
  return history.events.some((e) => e.kind === 'stored' && e.outcome === 'running');
}

export function setSchedule(baseUrl: string, token: string, input: Record<string, unknown>) {
  return call(baseUrl, 'backupSchedule.set', input, { token });
}

import path from 'node:path';
import type { ServerConfig } from '../../config.ts';
import { ConcurrencyLimit } from './concurrency.ts';

export interface HookSettings {
  /** Run through the shell, with the backup's file and organization in its environment. */
  command: string;
  timeoutMs: number;
}

/** Everything a stored-backup run needs to know about this instance, whoever starts it. */
export interface StoredBackupSettings {
  /** Absolute; each organization gets a folder named by its id. */
  directory: string;
  /** Shared by every run of this process: at most this many write at once. */
  limit: ConcurrencyLimit;
  hook?: HookSettings;
}

export interface StoredBackupEnv {
  HISAABO_DATA_DIR: string;
  HISAABO_BACKUP_DIR?: string;
  HISAABO_BACKUP_CONCURRENCY: number;
  HISAABO_BACKUP_HOOK?: string;
  HISAABO_BACKUP_HOOK_TIMEOUT_SECONDS: number;
}

/** `HISAABO_BACKUP_DIR`, else `<HISAABO_DATA_DIR>/backups`, made absolute. */
export function backupDirectory(
  env: Pick<StoredBackupEnv, 'HISAABO_DATA_DIR' | 'HISAABO_BACKUP_DIR'>,
): string {
  return path.resolve(env.HISAABO_BACKUP_DIR ?? path.join(env.HISAABO_DATA_DIR, 'backups'));
}

export function makeStoredBackupSettings(env: StoredBackupEnv): StoredBackupSettings {
  return {
    directory: backupDirectory(env),
    limit: new ConcurrencyLimit(env.HISAABO_BACKUP_CONCURRENCY),
    hook: env.HISAABO_BACKUP_HOOK
      ? { command: env.HISAABO_BACKUP_HOOK, timeoutMs: env.HISAABO_BACKUP_HOOK_TIMEOUT_SECONDS * 1000 }
      : undefined,
  };
}

// One set per configuration, so the concurrency limit is shared by the scheduler and "run now".
const perConfig = new WeakMap<ServerConfig, StoredBackupSettings>();

export function storedBackupSettings(config: ServerConfig): StoredBackupSettings {
  let settings = perConfig.get(config);
  if (!settings) {
    settings = makeStoredBackupSettings(config);
    perConfig.set(config, settings);
  }
  return settings;
}

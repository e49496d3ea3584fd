import { CliError, usageError } from '../errors.ts';
import { findLocalTenant, type LocalTenant, openLocalDatabase } from '../local/database.ts';
import type { LocalFlags } from '../options.ts';
import { type Output, formatBytes, formatDuration } from '../output.ts';
import { resolveSettings } from '../config.ts';

interface RunFlags extends LocalFlags {
  all?: boolean;
  tenant?: string;
  keep?: number;
  json?: boolean;
}

/**
 * `hisaabo backup run --local`: the server's own stored-backup run (write under a temporary name,
 * fsync, rename, read back and verify, then rotate), started from cron. On PostgreSQL it runs beside
 * the server; the embedded database must be stopped first (one process per data directory).
 */
export async function runLocalBackups(output: Output, flags: RunFlags): Promise<void> {
  if (!flags.local) {
    throw usageError(
      'backup run works on the database directly: add --local',
      'a running server writes scheduled backups itself; to run one now use "Run now" in Settings > Data',
    );
  }
  if (flags.all && flags.tenant) throw usageError('use either --all or --tenant, not both');
  const ref = flags.all ? undefined : resolveSettings({ tenant: flags.tenant }).tenant;
  if (!flags.all && !ref) throw usageError('say which organization: --tenant <slug|id>, or --all');

  const database = await openLocalDatabase(flags);
  try {
    const { listActiveTenants, runStoredBackup, makeStoredBackupSettings, readSchedule, createLogger } =
      await import('@hisaabo/server/operator');
    const targets: LocalTenant[] = ref
      ? [await findLocalTenant(database, ref)]
      : await listActiveTenants(database.db);
    const settings = makeStoredBackupSettings({
      HISAABO_DATA_DIR: flags.dataDir ?? process.env.HISAABO_DATA_DIR ?? 'data',
      HISAABO_BACKUP_DIR: process.env.HISAABO_BACKUP_DIR,
      HISAABO_BACKUP_CONCURRENCY: 1,
      HISAABO_BACKUP_HOOK: process.env.HISAABO_BACKUP_HOOK,
      HISAABO_BACKUP_HOOK_TIMEOUT_SECONDS: Number(process.env.HISAABO_BACKUP_HOOK_TIMEOUT_SECONDS ?? 600),
    });
    const logger = createLogger({ level: 'silent' });
    const results = [];
    for (const tenant of targets) {
      const schedule = await readSchedule(database.db, tenant.id);
      output.note(`Backing up ${tenant.slug} into ${settings.directory}…`);
      const outcome = await runStoredBackup(
        database,
        settings,
        {
          tenantId: tenant.id,
          trigger: 'cli',
          keep: flags.keep ?? schedule.keep,
          recipients: schedule.recipients,
        },
        logger,
      );
      results.push({ tenant: tenant.slug, tenantId: tenant.id, ...outcome! });
    }
    const failed = results.filter((r) => r.status === 'failed');
    const lines = results.map((r) =>
      r.status === 'verified'
        ? `${output.out.green('Verified')} ${r.tenant}: ${r.file} (${formatBytes(r.bytes)}, ${r.totalRows} rows, ${formatDuration(r.durationMs)})${r.deleted.length ? `; deleted ${r.deleted.length} older` : ''}${r.hookOutcome ? `; hook ${r.hookOutcome}` : ''}`
        : `${output.out.red('Failed')} ${r.tenant}: ${r.error}`,
    );
    if (failed.length > 0) {
      if (!output.json) for (const line of lines) output.stderr.write(`${line}\n`);
      throw new CliError(
        'server_error',
        `${failed.length} of ${results.length} backups failed; older backups are kept`,
        {
          report: { ok: false, directory: settings.directory, results },
        },
      );
    }
    output.result(targets.length === 0 ? ['No active organization to back up.'] : lines, {
      ok: true,
      directory: settings.directory,
      results,
    });
  } finally {
    await database.close();
  }
}

import { type Command, InvalidArgumentError } from 'commander';
import { apiUrlOption, jsonOption, localOptions, tenantOption } from '../options.ts';
import { action } from '../run.ts';
import { runLocalBackups } from './backup-run.ts';
import { downloadStoredBackup, listStoredBackups } from './backup-stored.ts';

function keepCount(value: string): number {
  const keep = Number(value);
  if (!Number.isInteger(keep) || keep < 1 || keep > 90) {
    throw new InvalidArgumentError('use a whole number from 1 to 90');
  }
  return keep;
}

/** `hisaabo backup …`: the backups the server keeps (automatic backups) and the operator's run for cron. */
export function registerBackupCommands(program: Command): void {
  const backup = program
    .command('backup')
    .description('stored backups: write them (operators, for cron), list them, download one')
    .addHelpText(
      'after',
      '\nExamples:\n  hisaabo backup run --local --all --keep 14\n  hisaabo backup list --tenant my-company\n  hisaabo backup download --tenant my-company --id <id> -o backup.tar.gz',
    );

  const run = backup
    .command('run')
    .description(
      'write a verified backup of organizations into HISAABO_BACKUP_DIR, then delete the oldest beyond --keep',
    )
    .option('--all', 'every active organization')
    .option(
      '--keep <n>',
      'keep the newest n verified backups (default: the schedule’s keep, or 7)',
      keepCount,
    );
  tenantOption(run);
  localOptions(run);
  jsonOption(run);
  run.action(action(runLocalBackups));

  const list = backup
    .command('list')
    .description('the backups the server keeps for an organization (owners)');
  tenantOption(list);
  apiUrlOption(list);
  jsonOption(list);
  list.action(action(listStoredBackups));

  const download = backup
    .command('download')
    .description('download one stored backup as it is stored (owners; not counted against the export limit)')
    .requiredOption('--id <id>', 'the backup’s id (from `hisaabo backup list`)')
    .requiredOption('-o, --output <file>', 'where to write it');
  tenantOption(download);
  apiUrlOption(download);
  jsonOption(download);
  download.action(action(downloadStoredBackup));
}

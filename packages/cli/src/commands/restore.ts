import type { Command } from 'commander';
import { openBackupFile } from '../archive-input.ts';
import {
  describeSource,
  failIfInvalid,
  tableSummaryLines,
  totalRows,
  verifyStream,
} from '../archive-check.ts';
import {
  restoreFailureSchema,
  restoreSuccessSchema,
  transferTicketSchema,
  formatArchiveError,
  formatWarning,
} from '../api/schemas.ts';
import type { KeyFlags } from '../crypto/keys.ts';
import { badFile, CliError, usageError } from '../errors.ts';
import { findLocalTenant, openLocalDatabase } from '../local/database.ts';
import {
  apiUrlOption,
  decryptionOptions,
  jsonOption,
  type LocalFlags,
  localOptions,
  tenantOption,
} from '../options.ts';
import { type Output, formatDuration } from '../output.ts';
import { Progress } from '../progress.ts';
import { canPrompt, confirm } from '../prompt.ts';
import { action } from '../run.ts';
import { loggedIn, requireTenantRef, resolveOrganization } from '../session.ts';
import { resolveSettings } from '../config.ts';
import { transferError } from '../transfer/http-errors.ts';
import { upload } from '../transfer/upload.ts';
import type { BackupFile } from '../archive-input.ts';
import type { VerifyReport } from '@hisaabo/backup';

interface RestoreFlags extends KeyFlags, LocalFlags {
  input: string;
  tenant?: string;
  yes?: boolean;
  pauseRecurring?: boolean;
  apiUrl?: string;
  json?: boolean;
}

export function registerRestore(program: Command): void {
  const command = program
    .command('restore')
    .description('restore a backup into an empty organization (owners); the file is verified locally first')
    .requiredOption('-i, --input <file>', 'the backup (.tar.gz, or age-encrypted)')
    .option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .option('--pause-recurring', 'restore recurring invoice templates paused (for a test copy)')
    .addHelpText(
      'after',
      '\nExamples:\n  hisaabo restore --tenant new-company -i backup.tar.gz --yes\n  hisaabo restore --tenant test-copy -i backup.tar.gz.age --identity key.txt --pause-recurring\n  hisaabo restore --local --database-url postgres://… --tenant new-company -i backup.tar.gz --yes',
    );
  tenantOption(command);
  decryptionOptions(command);
  localOptions(command);
  apiUrlOption(command);
  jsonOption(command);
  command.action(action(restore));
}

interface Target {
  id: string;
  slug: string;
  name: string;
}

interface RestoreOutcome {
  rowsInserted: Record<string, number>;
  warnings: string[];
  durationMs: number | undefined;
  source: unknown;
  compatibility: unknown;
  pausedRecurringTemplates: number | undefined;
}

async function restore(output: Output, flags: RestoreFlags): Promise<void> {
  // The original exited 0 here having done nothing; a script must learn that nothing was restored.
  if (!flags.yes && !canPrompt()) {
    throw usageError(
      'restore needs confirmation and stdin is not a terminal',
      'pass --yes to restore without asking',
    );
  }
  const settings = resolveSettings({ apiUrl: flags.apiUrl, tenant: flags.tenant });
  const ref = requireTenantRef(settings);
  if (!flags.local) loggedIn(flags);

  const file = await openBackupFile(flags.input, flags);
  output.note(`Verifying ${flags.input}…`);
  const report = await verifyLocally(output, file);
  failIfInvalid(report, flags.input);
  output.note(
    `${flags.input}: valid backup of ${describeSource(report.manifest)}, ${totalRows(report.tables)} rows.`,
  );

  const outcome = flags.local
    ? await restoreLocal(output, flags, file, ref, report)
    : await restoreRemote(output, flags, file, ref, report);

  output.result(
    [
      `${output.out.green('Restored')} ${flags.input} into ${outcome.target.slug} (${outcome.target.name})${
        outcome.result.durationMs !== undefined ? ` in ${formatDuration(outcome.result.durationMs)}` : ''
      }.`,
      `Source: ${describeSource(report.manifest)}`,
      'Rows inserted:',
      ...tableSummaryLines(
        Object.fromEntries(Object.entries(outcome.result.rowsInserted).map(([t, rows]) => [t, { rows }])),
      ),
      ...(outcome.result.pausedRecurringTemplates
        ? [`${outcome.result.pausedRecurringTemplates} recurring invoice templates were restored paused.`]
        : []),
      ...outcome.result.warnings.map((w) => `${output.out.yellow('warning:')} ${w}`),
    ],
    { ok: true, tenant: outcome.target, file: flags.input, ...outcome.result },
  );
}

async function verifyLocally(output: Output, file: BackupFile): Promise<VerifyReport> {
  const { stream, plaintextSize } = await file.open();
  const progress = new Progress('Verifying', plaintextSize, process.stderr, !output.json);
  try {
    return await verifyStream(stream.pipe(progress.counter()));
  } finally {
    progress.finish();
  }
}

async function confirmRestore(flags: RestoreFlags, target: Target, report: VerifyReport): Promise<void> {
  if (flags.yes) return;
  const question =
    `This will import all data from ${flags.input} (${describeSource(report.manifest)}, ${totalRows(report.tables)} rows)\n` +
    `into organization ${target.slug} (${target.name}). The organization must be empty. Proceed?`;
  if (!(await confirm(question, '--yes'))) throw usageError('restore cancelled; nothing was changed');
}

async function restoreRemote(
  output: Output,
  flags: RestoreFlags,
  file: BackupFile,
  ref: string,
  report: VerifyReport,
): Promise<{ target: Target; result: RestoreOutcome }> {
  const { client } = loggedIn(flags);
  const target = await resolveOrganization(client, ref);
  await confirmRestore(flags, target, report);
  const ticket = await client.mutation('selfImport.request', { tenantId: target.id }, transferTicketSchema);
  const url = new URL(client.resolve(ticket.url));
  if (flags.pauseRecurring) url.searchParams.set('pauseRecurring', 'true');
  const { stream, plaintextSize } = await file.open();
  const progress = new Progress(`Uploading to ${target.slug}`, plaintextSize, process.stderr, !output.json);
  const answer = await upload(
    client,
    url.toString(),
    stream.pipe(progress.counter()),
    file.encrypted ? undefined : plaintextSize,
  ).finally(() => progress.finish());
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    throw transferError(answer.status, answer.body, 'restore');
  }
  if (answer.status === 200) {
    const parsed = restoreSuccessSchema.safeParse(json);
    if (!parsed.success)
      throw new CliError('server_error', 'the server answered the restore with an unexpected report');
    const success = parsed.data;
    return {
      target,
      result: {
        rowsInserted: success.rowsInserted,
        warnings: success.warnings.map(formatWarning),
        durationMs: success.durationMs,
        source: success.source ?? null,
        compatibility: success.compatibility ?? null,
        pausedRecurringTemplates:
          typeof success.pausedRecurringTemplates === 'number'
            ? success.pausedRecurringTemplates
            : success.recurringPaused,
      },
    };
  }
  if (answer.status === 422) {
    const failure = restoreFailureSchema.safeParse(json);
    const errors = failure.success ? failure.data.errors : [];
    throw badFile(`the server rejected ${flags.input}; ${target.slug} was left empty`, {
      details: errors.slice(0, 20).map(formatArchiveError),
      report: failure.success ? failure.data : undefined,
    });
  }
  throw transferError(answer.status, answer.body, 'restore');
}

async function restoreLocal(
  output: Output,
  flags: RestoreFlags,
  file: BackupFile,
  ref: string,
  report: VerifyReport,
): Promise<{ target: Target; result: RestoreOutcome }> {
  const database = await openLocalDatabase(flags);
  try {
    const target = await findLocalTenant(database, ref);
    await confirmRestore(flags, target, report);
    const { restoreTenant, BackupError } = await import('@hisaabo/backup');
    const { stream, plaintextSize } = await file.open();
    const progress = new Progress(
      `Restoring into ${target.slug}`,
      plaintextSize,
      process.stderr,
      !output.json,
    );
    try {
      const result = await restoreTenant(database, target.id, stream.pipe(progress.counter()), {
        pauseRecurring: Boolean(flags.pauseRecurring),
      });
      return {
        target,
        result: {
          rowsInserted: result.rowsInserted,
          warnings: result.warnings.map(formatWarning),
          durationMs: result.durationMs,
          source: result.source,
          compatibility: result.compatibility,
          pausedRecurringTemplates: result.pausedRecurringTemplates,
        },
      };
    } catch (error) {
      if (error instanceof BackupError) {
        if (error.code === 'TARGET_NOT_EMPTY') {
          throw new CliError('target_not_empty', error.message, {
            hint: 'restore only into a new, empty organization',
          });
        }
        if (error.code === 'TENANT_NOT_FOUND') throw new CliError('not_found', error.message);
        throw badFile(`${flags.input} was rejected: ${error.message}; ${target.slug} was left empty`, {
          details: error.errors.slice(0, 20).map(formatArchiveError),
        });
      }
      throw error;
    } finally {
      progress.finish();
    }
  } finally {
    await database.close();
  }
}

import type { Command } from 'commander';
import { openBackupFile } from '../archive-input.ts';
import {
  describeSource,
  failIfInvalid,
  tableSummaryLines,
  totalRows,
  verifyStream,
} from '../archive-check.ts';
import type { KeyFlags } from '../crypto/keys.ts';
import { decryptionOptions, jsonOption } from '../options.ts';
import { type Output, formatDuration } from '../output.ts';
import { Progress } from '../progress.ts';
import { action } from '../run.ts';

interface VerifyFlags extends KeyFlags {
  input: string;
  json?: boolean;
}

export function registerVerify(program: Command): void {
  const command = program
    .command('verify')
    .description(
      'check a backup file offline (no login, no server): hashes, row counts, every row, every reference',
    )
    .requiredOption('-i, --input <file>', 'the backup (.tar.gz, or age-encrypted)')
    .addHelpText(
      'after',
      '\nExamples:\n  hisaabo verify -i backup.tar.gz\n  hisaabo verify -i backup.tar.gz.age --identity key.txt --json',
    );
  decryptionOptions(command);
  jsonOption(command);
  command.action(action(verify));
}

async function verify(output: Output, flags: VerifyFlags): Promise<void> {
  const file = await openBackupFile(flags.input, flags);
  const started = Date.now();
  const { stream, plaintextSize } = await file.open();
  const progress = new Progress('Verifying', plaintextSize, process.stderr, !output.json);
  const report = await verifyStream(stream.pipe(progress.counter()));
  progress.finish();
  failIfInvalid(report, flags.input);
  const warnings = report.warnings.map((w) => (w.table ? `${w.table}: ${w.message}` : w.message));
  output.result(
    [
      `${output.out.green('OK')} ${flags.input}${file.encrypted ? ' (age-encrypted)' : ''}: a valid Hisaabo backup, ${totalRows(report.tables)} rows, checked in ${formatDuration(Date.now() - started)}.`,
      `Source: ${describeSource(report.manifest)}`,
      ...tableSummaryLines(report.tables),
      ...warnings.map((w) => `${output.out.yellow('warning:')} ${w}`),
    ],
    { ...report, file: flags.input, encrypted: file.encrypted },
  );
}

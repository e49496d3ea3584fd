import type { Command } from 'commander';
import type { Readable, Transform } from 'node:stream';
import { transferTicketSchema } from '../api/schemas.ts';
import { tableSummaryLines, totalRows, verifyStream } from '../archive-check.ts';
import type { Encrypter } from 'age-encryption';
import { encrypterFor, encryptStream } from '../crypto/age-stream.ts';
import { type KeyFlags, passphraseForEncryption } from '../crypto/keys.ts';
import { CliError, usageError } from '../errors.ts';
import { findLocalTenant, openLocalDatabase } from '../local/database.ts';
import {
  apiUrlOption,
  collect,
  jsonOption,
  type LocalFlags,
  localOptions,
  tenantOption,
} from '../options.ts';
import { type Output, formatBytes, formatDuration } from '../output.ts';
import { Progress } from '../progress.ts';
import { action } from '../run.ts';
import { loggedIn, requireTenantRef, resolveOrganization } from '../session.ts';
import { startDownload } from '../transfer/download.ts';
import { checkWritableTarget, writeStreamAtomically } from '../transfer/file-output.ts';
import { teeInto } from '../transfer/tee.ts';
import { resolveSettings } from '../config.ts';

interface ExportFlags extends KeyFlags, LocalFlags {
  output: string;
  tenant?: string;
  apiUrl?: string;
  json?: boolean;
  verify: boolean;
}

export function registerExport(program: Command): void {
  const command = program
    .command('export')
    .description('download a full backup of an organization (owners; 2 per organization per day)')
    .requiredOption('-o, --output <file>', 'where to write the .tar.gz (`-` for stdout)')
    .option(
      '--encrypt-to <recipient>',
      'encrypt with age to this public key (age1…; repeatable)',
      collect,
      [],
    )
    .option('--passphrase', 'encrypt with a passphrase, asked on the terminal')
    .option('--passphrase-file <file>', 'encrypt with the passphrase on the first line of <file>')
    .option('--no-verify', 'skip checking the archive while it downloads')
    .addHelpText(
      'after',
      '\nExamples:\n  hisaabo export --tenant my-company -o backup.tar.gz\n  hisaabo export --tenant my-company -o backup.tar.gz.age --encrypt-to age1…\n  hisaabo export --local --data-dir ./data --tenant my-company -o backup.tar.gz',
    );
  tenantOption(command);
  localOptions(command);
  apiUrlOption(command);
  jsonOption(command);
  command.action(action(exportCommand));
}

async function exportCommand(output: Output, flags: ExportFlags): Promise<void> {
  // Everything that can be wrong locally is checked before the server is asked for anything.
  const encryption = await encrypterFromFlags(flags);
  if (flags.output === '-') {
    if (output.json) throw usageError('--json cannot be used with -o - (stdout carries the archive)');
    output.takeStdout();
  }
  await checkWritableTarget(flags.output);
  const started = Date.now();
  const result = flags.local
    ? await exportLocal(output, flags, encryption)
    : await exportRemote(output, flags, encryption);
  const durationMs = Date.now() - started;
  const where = result.file.path === '-' ? 'stdout' : result.file.path;
  output.result(
    [
      `${output.out.green('Exported')} ${result.organization} to ${where}${encryption ? ' (age-encrypted)' : ''}`,
      `  size     ${formatBytes(result.file.bytes)} (${result.file.bytes} bytes)`,
      `  sha256   ${result.file.sha256}`,
      `  time     ${formatDuration(durationMs)}`,
      ...(result.tables ? ['Rows:', ...tableSummaryLines(result.tables)] : []),
    ],
    {
      ok: true,
      organization: result.organization,
      file: result.file.path,
      bytes: result.file.bytes,
      sha256: result.file.sha256,
      durationMs,
      encrypted: Boolean(encryption),
      verified: result.verified,
      totalRows: result.tables ? totalRows(result.tables) : null,
      tables: result.tables ?? null,
    },
  );
}

interface ExportResult {
  organization: string;
  file: Awaited<ReturnType<typeof writeStreamAtomically>>;
  tables: Record<string, { rows: number; bytes: number }> | undefined;
  verified: boolean;
}

/** The age encrypter the flags ask for, with recipients checked before anything is downloaded. */
async function encrypterFromFlags(flags: ExportFlags): Promise<Encrypter | undefined> {
  const recipients = flags.encryptTo ?? [];
  const passphrase = Boolean(flags.passphrase || flags.passphraseFile);
  if (recipients.length > 0 && passphrase) {
    throw usageError(
      'use either --encrypt-to or a passphrase, not both',
      'age encrypts a file to keys or to one passphrase',
    );
  }
  if (recipients.length > 0) return encrypterFor({ recipients });
  if (passphrase) return encrypterFor({ passphrase: await passphraseForEncryption(flags) });
  return undefined;
}

async function exportRemote(
  output: Output,
  flags: ExportFlags,
  encryption: Encrypter | undefined,
): Promise<ExportResult> {
  const { settings, client } = loggedIn(flags);
  const organization = await resolveOrganization(client, requireTenantRef(settings));
  const ticket = await client.mutation(
    'selfExport.request',
    { tenantId: organization.id },
    transferTicketSchema,
  );
  const download = await startDownload(client, ticket.url);
  const progress = new Progress(
    `Exporting ${organization.slug}`,
    download.size,
    process.stderr,
    !output.json,
  );
  const check = flags.verify ? teeInto(verifyStream) : undefined;
  const stages: (Readable | Transform)[] = [download.stream, progress.counter()];
  if (check) stages.push(check.tap);
  const file = await writeEncrypted(flags.output, stages, encryption, async () => {
    if (!check) return;
    const report = await check.result;
    if (!report.ok) {
      const first = report.errors[0];
      throw new CliError(
        'server_error',
        `the server sent an archive that does not verify: ${first?.message ?? 'unknown problem'}`,
        {
          hint: 'nothing was kept; try again and check the server log. If this hisaabo is older than the server, update it (or pass --no-verify)',
        },
      );
    }
    return report;
  }).finally(() => progress.finish());
  return {
    organization: organization.slug,
    file: file.written,
    tables: file.report?.tables,
    verified: Boolean(file.report),
  };
}

async function exportLocal(
  output: Output,
  flags: ExportFlags,
  encryption: Encrypter | undefined,
): Promise<ExportResult> {
  const settings = resolveSettings({ tenant: flags.tenant });
  const ref = requireTenantRef(settings);
  const database = await openLocalDatabase(flags);
  try {
    const tenant = await findLocalTenant(database, ref);
    const { exportTenant } = await import('@hisaabo/backup');
    const handle = exportTenant(database, tenant.id);
    handle.done.catch(() => {});
    const progress = new Progress(
      `Exporting ${tenant.slug} from ${database.location}`,
      undefined,
      process.stderr,
      !output.json,
    );
    const file = await writeEncrypted(
      flags.output,
      [handle.stream, progress.counter()],
      encryption,
      async () => {
        const summary = await handle.done;
        return { tables: summary.tables };
      },
    ).finally(() => progress.finish());
    const tables = file.report?.tables
      ? Object.fromEntries(
          Object.entries(file.report.tables).map(([name, t]) => [name, { rows: t.rows, bytes: t.bytes }]),
        )
      : undefined;
    return { organization: tenant.slug, file: file.written, tables, verified: false };
  } finally {
    await database.close();
  }
}

/**
 * Streams the plaintext stages (optionally through age) into the target. `settle` runs after the
 * last byte and before the rename: if it throws, the temporary file is removed and the target is
 * left as it was.
 */
async function writeEncrypted<R>(
  target: string,
  stages: (Readable | Transform)[],
  encryption: Encrypter | undefined,
  settle: () => Promise<R>,
): Promise<{ written: Awaited<ReturnType<typeof writeStreamAtomically>>; report: R }> {
  let report: R | undefined;
  const source = encryption ? [await encryptStream(chain(stages), encryption)] : stages;
  const written = await writeStreamAtomically(target, source, async () => {
    report = await settle();
  });
  return { written, report: report as R };
}

/** Joins stages into one readable for age, which takes a single input stream. */
function chain(stages: (Readable | Transform)[]): Readable {
  let current = stages[0] as Readable;
  for (const stage of stages.slice(1)) {
    current.on('error', (error) => stage.destroy(error));
    current = current.pipe(stage as Transform);
  }
  return current;
}

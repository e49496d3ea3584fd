import type { Command } from 'commander';
import { openLocalDatabase } from '../local/database.ts';
import { jsonOption, type LocalFlags, localOptions } from '../options.ts';
import type { Output } from '../output.ts';
import { ask, askSecret, readStdin } from '../prompt.ts';
import { action } from '../run.ts';
import { usageError, CliError } from '../errors.ts';

interface ResetPasswordFlags extends LocalFlags {
  email?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('accounts of this instance (operators)');
  const reset = user
    .command('reset-password')
    .description(
      'set a new password for an account, on the database itself (--local), and sign out all its sessions',
    )
    .option('--email <email>', 'the account (asked on the terminal when missing)')
    .option('--password-stdin', 'read the new password from stdin (at least 8 characters)')
    .addHelpText(
      'after',
      '\nThe server may send no mail, so an operator with access to the database resets a forgotten password.' +
        '\nExamples:\n  hisaabo user reset-password --local --email asha@example.com' +
        '\n  printf \'%s\' "$NEW_PASSWORD" | hisaabo user reset-password --local --database-url postgres://… --email asha@example.com --password-stdin',
    );
  localOptions(reset);
  jsonOption(reset);
  reset.action(action(resetPassword));
}

async function resetPassword(output: Output, flags: ResetPasswordFlags): Promise<void> {
  // There is no way to do this through the server's API: it takes the database itself, on purpose.
  if (!flags.local) {
    throw usageError(
      'reset-password works on the database directly, not through a server',
      'add --local (with --data-dir for the embedded database of a stopped server, or --database-url)',
    );
  }
  const email = (flags.email ?? (await ask('Email of the account: ', '--email <email>'))).trim();
  if (!email) throw usageError('an email is required', 'pass --email <email>');
  const password = await newPassword(flags);
  const { passwordRule, findUserByEmail, replacePassword } = await import('@hisaabo/domain');
  const checked = passwordRule.safeParse(password);
  if (!checked.success) {
    throw usageError(`the new password is not accepted: ${checked.error.issues[0]?.message ?? 'invalid'}`);
  }
  const database = await openLocalDatabase(flags);
  try {
    const user = await findUserByEmail(database.db, email);
    if (!user) {
      throw new CliError('not_found', `no account uses ${email} in the database at ${database.location}`, {
        hint: 'check the address, --data-dir or --database-url',
      });
    }
    const { signedOutSessions } = await replacePassword(database.db, user.id, checked.data);
    output.result(
      [
        `${output.out.green('Password reset')} for ${user.name} <${user.email}>; ${signedOutSessions} session${signedOutSessions === 1 ? '' : 's'} signed out.`,
        'API keys of the account stay valid; its owner can revoke them in Settings.',
      ],
      { ok: true, email: user.email, userId: user.id, signedOutSessions },
    );
  } finally {
    await database.close();
  }
}

/** The new password from stdin, or typed twice on the terminal without being echoed. */
async function newPassword(flags: ResetPasswordFlags): Promise<string> {
  if (flags.passwordStdin) return readStdin();
  const password = await askSecret('New password (at least 8 characters): ', '--password-stdin');
  if ((await askSecret('Repeat the new password: ', '--password-stdin')) !== password) {
    throw usageError('the passwords do not match');
  }
  return password;
}

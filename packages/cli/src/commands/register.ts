import type { Command } from 'commander';
import { ApiClient } from '../api/client.ts';
import { sessionSchema } from '../api/schemas.ts';
import { chooseApiUrl, readConfig, writeConfig } from '../config.ts';
import { CliError, usageError } from '../errors.ts';
import { apiUrlOption, jsonOption } from '../options.ts';
import type { Output } from '../output.ts';
import { ask, askSecret, readStdin } from '../prompt.ts';
import { action } from '../run.ts';

interface RegisterFlags {
  apiUrl?: string;
  email?: string;
  name?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

export function registerRegister(program: Command): void {
  const command = program
    .command('register')
    .description('create an account on a Hisaabo server and log in with it')
    .option('--email <email>', 'email of the new account')
    .option('--name <name>', 'your name')
    .option('--password-stdin', 'read the password from stdin (at least 8 characters)')
    .addHelpText('after', '\nExample:\n  hisaabo register --email me@example.com --name "Asha Rao"');
  apiUrlOption(command);
  jsonOption(command);
  command.action(action(register));
}

async function register(output: Output, flags: RegisterFlags): Promise<void> {
  const stored = readConfig();
  const apiUrl = chooseApiUrl(flags.apiUrl, stored);
  const email = flags.email ?? (await ask('Email: ', '--email <email>'));
  const name = flags.name ?? (await ask('Your name: ', '--name <name>'));
  if (!email || !name) throw usageError('an email and a name are required', 'pass --email and --name');
  let password: string;
  if (flags.passwordStdin) {
    password = await readStdin();
  } else {
    password = await askSecret('Password (at least 8 characters): ', '--password-stdin');
    if ((await askSecret('Repeat the password: ', '--password-stdin')) !== password) {
      throw usageError('the passwords do not match');
    }
  }
  let session: Awaited<ReturnType<typeof registerAccount>>;
  try {
    session = await registerAccount(apiUrl, { email, name, password });
  } catch (error) {
    if (error instanceof CliError && /already exists/i.test(error.message)) {
      throw usageError(error.message, `log in instead: \`hisaabo login --email ${email}\``);
    }
    throw error;
  }
  const file = writeConfig({
    ...stored,
    apiUrl,
    token: session.sessionToken,
    tokenKind: 'session',
    email: session.user.email,
    tenant: undefined,
  });
  output.result(
    [
      `${output.out.green('Account created')} on ${apiUrl} for ${session.user.name} <${session.user.email}>; you are logged in.`,
      'Next: create an organization with `hisaabo tenant create --slug <slug>` (then export or restore into it).',
    ],
    { ok: true, apiUrl, user: session.user, configPath: file },
  );
}

function registerAccount(apiUrl: string, input: { email: string; name: string; password: string }) {
  return new ApiClient(apiUrl, undefined).mutation('auth.register', input, sessionSchema);
}

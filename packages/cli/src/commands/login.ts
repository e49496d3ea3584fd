import type { Command } from 'commander';
import { ApiClient } from '../api/client.ts';
import { meSchema, type Me, sessionSchema } from '../api/schemas.ts';
import { chooseApiUrl, readConfig, writeConfig } from '../config.ts';
import { CliError, usageError } from '../errors.ts';
import { apiUrlOption, jsonOption } from '../options.ts';
import type { Output } from '../output.ts';
import { ask, askSecret, readStdin } from '../prompt.ts';
import { action } from '../run.ts';
import { organizationLines } from './whoami.ts';

interface LoginFlags {
  apiUrl?: string;
  email?: string;
  passwordStdin?: boolean;
  token?: string;
  json?: boolean;
}

export function registerLogin(program: Command): void {
  const command = program
    .command('login')
    .description('log in to a Hisaabo server and remember the credential (works without an organization)')
    .option('--email <email>', 'account email (asked when missing on a terminal)')
    .option('--password-stdin', 'read the password from stdin (for scripts)')
    .option('--token <key>', 'log in with an API key or session token instead of a password')
    .addHelpText(
      'after',
      '\nExamples:\n  hisaabo login --api-url https://books.example.com\n  echo "$PASSWORD" | hisaabo login --email me@example.com --password-stdin\n  hisaabo login --token hsk_…',
    );
  apiUrlOption(command);
  jsonOption(command);
  command.action(action(login));
}

async function login(output: Output, flags: LoginFlags): Promise<void> {
  if (flags.token && (flags.passwordStdin || flags.email)) {
    throw usageError('--token cannot be combined with --email or --password-stdin');
  }
  const stored = readConfig();
  const apiUrl = chooseApiUrl(flags.apiUrl, stored);

  let token: string;
  let tokenKind: 'session' | 'apiKey';
  if (flags.token) {
    token = flags.token.trim();
    tokenKind = token.startsWith('hsk_') ? 'apiKey' : 'session';
  } else {
    const email = flags.email ?? (await ask('Email: ', '--email <email>'));
    if (!email) throw usageError('an email is required', 'pass --email <email>');
    const password = flags.passwordStdin
      ? await readStdin()
      : await askSecret('Password: ', '--password-stdin');
    if (!password) throw usageError('an empty password was given');
    const session = await new ApiClient(apiUrl, undefined).mutation(
      'auth.login',
      { email, password },
      sessionSchema,
    );
    token = session.sessionToken;
    tokenKind = 'session';
  }

  const me = await whoIs(apiUrl, token, tokenKind, Boolean(flags.token));
  const sameAccount = stored.apiUrl === apiUrl && stored.email === me.user.email;
  const file = writeConfig({
    ...stored,
    apiUrl,
    token,
    tokenKind,
    email: me.user.email,
    // A default organization belongs to the account and server it was chosen on.
    tenant: sameAccount ? stored.tenant : undefined,
  });
  if (process.env.HISAABO_TOKEN) output.warn('HISAABO_TOKEN is set and takes precedence over this login');
  output.result(
    [
      `${output.out.green('Logged in')} to ${apiUrl} as ${me.user.name} <${me.user.email}>${tokenKind === 'apiKey' ? ' with an API key' : ''}.`,
      ...organizationLines(me, sameAccount ? stored.tenant : undefined),
      output.out.dim(`Credentials saved in ${file} (readable only by you).`),
    ],
    { ok: true, apiUrl, user: me.user, tokenKind, organizations: me.organizations, configPath: file },
  );
}

async function whoIs(apiUrl: string, token: string, kind: string, given: boolean): Promise<Me> {
  try {
    return await new ApiClient(apiUrl, token, 'flag').query('auth.me', undefined, meSchema);
  } catch (error) {
    if (given && error instanceof CliError && error.kind === 'unauthorized') {
      throw new CliError(
        'unauthorized',
        `the ${kind === 'apiKey' ? 'API key' : 'token'} was rejected by ${apiUrl}`,
        {
          hint: 'check that it is complete and not revoked; create a new one with apiKey.create',
        },
      );
    }
    throw error;
  }
}

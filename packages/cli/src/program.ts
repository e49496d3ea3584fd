import { Command } from 'commander';
import { registerBackupCommands } from './commands/backup.ts';
import { registerDbCommands } from './commands/db-migrate.ts';
import { registerDemoCommands } from './commands/demo-seed.ts';
import { registerExport } from './commands/export.ts';
import { registerLogin } from './commands/login.ts';
import { registerLogout } from './commands/logout.ts';
import { registerRegister } from './commands/register.ts';
import { registerRestore } from './commands/restore.ts';
import { registerServe } from './commands/serve.ts';
import { registerTenantCommands } from './commands/tenant.ts';
import { registerUserCommands } from './commands/user.ts';
import { registerVerify } from './commands/verify.ts';
import { registerWhoami } from './commands/whoami.ts';
import { ExitCode } from './exit-codes.ts';
import { CLI_VERSION } from './version.ts';

const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   authentication or permission (not logged in, wrong role, unknown organization)
  2   rate limited (2 exports per organization per day)
  3   restore target organization is not empty
  4   bad or unreadable file or archive (also: cannot decrypt)
  5   server or network failure
  64  usage error (bad flags, confirmation needed but no terminal)

Environment: HISAABO_API_URL, HISAABO_TOKEN, HISAABO_TENANT override the saved login; NO_COLOR turns colours off.
Documentation: docs/cli.md`;

export function buildProgram(): Command {
  const program = new Command('hisaabo')
    .description('Hisaabo from the command line: log in, manage organizations, back up and restore them.')
    .version(CLI_VERSION, '-V, --version')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    });
  registerLogin(program);
  registerLogout(program);
  registerWhoami(program);
  registerRegister(program);
  registerTenantCommands(program);
  registerExport(program);
  registerRestore(program);
  registerVerify(program);
  registerBackupCommands(program);
  registerServe(program);
  registerDbCommands(program);
  registerUserCommands(program);
  registerDemoCommands(program);
  return program;
}

export { ExitCode };

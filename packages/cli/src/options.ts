import { type Command, Option } from 'commander';

/** `--api-url`: which server to talk to (else HISAABO_API_URL, else the one logged in to). */
export function apiUrlOption(command: Command): Command {
  return command.option(
    '--api-url <url>',
    'server address (default: HISAABO_API_URL, the login, or http://localhost:3000)',
  );
}

/** `--json`: one JSON document on stdout, for scripts. */
export function jsonOption(command: Command): Command {
  return command.option('--json', 'print the result (or the error) as JSON on stdout');
}

export function tenantOption(command: Command): Command {
  return command.option(
    '-t, --tenant <slug|id>',
    'organization (default: HISAABO_TENANT or `hisaabo tenant select`)',
  );
}

/** Operator mode: the database itself instead of the server (disaster recovery; the server may be down). */
export function localOptions(command: Command): Command {
  return command
    .option('--local', 'use the database directly instead of the server (operators; the server may be down)')
    .addOption(new Option('--database-url <url>', 'with --local: PostgreSQL to use').env('DATABASE_URL'))
    .addOption(
      new Option('--data-dir <dir>', 'with --local: the embedded database directory of a stopped server').env(
        'HISAABO_DATA_DIR',
      ),
    );
}

export function decryptionOptions(command: Command): Command {
  return command
    .option('--identity <file>', 'age identity file to decrypt an encrypted backup (repeatable)', collect, [])
    .option('--passphrase', 'decrypt with a passphrase (asked on the terminal)')
    .option('--passphrase-file <file>', 'decrypt with the passphrase on the first line of <file>');
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export interface CommonFlags {
  apiUrl?: string;
  json?: boolean;
}

export interface LocalFlags {
  local?: boolean;
  databaseUrl?: string;
  dataDir?: string;
}

import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { jsonOption } from '../options.ts';
import type { Output } from '../output.ts';
import { action } from '../run.ts';
import { serverCommand } from './serve-entry.ts';

interface ServeFlags {
  port?: string;
  dataDir?: string;
  databaseUrl?: string;
  json?: boolean;
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('run the Hisaabo server (same as `npm start`): migrations, then the app and API')
    .option('--port <port>', 'HTTP port (default: PORT or 3000)')
    .option('--data-dir <dir>', 'embedded database directory (default: HISAABO_DATA_DIR or ./data)')
    .option(
      '--database-url <url>',
      'use this PostgreSQL instead of the embedded database (default: DATABASE_URL)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  hisaabo serve\n  hisaabo serve --port 8080 --data-dir /var/lib/hisaabo',
    );
  // The server logs JSON lines already; --json makes a failure to start a JSON document too.
  jsonOption(command);
  command.action(action(serve));
}

/**
 * The server is its own package; the command line only starts it, as a child process with the
 * terminal attached, and passes signals on so Ctrl-C stops it cleanly.
 */
async function serve(_output: Output, flags: ServeFlags): Promise<void> {
  const { nodeArgs, entry } = serverCommand();
  const env = { ...process.env };
  if (flags.port) env.PORT = flags.port;
  if (flags.dataDir) env.HISAABO_DATA_DIR = flags.dataDir;
  if (flags.databaseUrl) env.DATABASE_URL = flags.databaseUrl;
  const child = spawn(process.execPath, [...nodeArgs, entry], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 0 : 1))),
  );
  if (code !== 0) throw new CliError('server_error', `the server stopped with exit status ${code}`);
}

import { CommanderError } from 'commander';
import { CliError } from './errors.ts';
import { ExitCode } from './exit-codes.ts';
import { colorEnabled } from './output.ts';
import { buildProgram } from './program.ts';

/** An error nobody planned for is a bug: say so, never pretend it was the user's file or network. */
const EXIT_INTERNAL = 70;

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    await buildProgram().parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message (or the help) already.
      if (error.exitCode === 0) return ExitCode.ok;
      if (json)
        printJson({
          code: 'usage',
          exitCode: ExitCode.usage,
          message: error.message.replace(/^error: /, ''),
        });
      return ExitCode.usage;
    }
    if (error instanceof CliError) {
      report(error.message, error.hint, error.details);
      if (json) {
        printJson(
          {
            code: error.kind,
            exitCode: error.exitCode,
            message: error.message,
            hint: error.hint,
            details: error.details,
          },
          error.report,
        );
      }
      return error.exitCode;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    report(
      `unexpected failure: ${message}`,
      'this is a bug in hisaabo; please report it with the command you ran',
    );
    if (json)
      printJson({
        code: 'internal',
        exitCode: EXIT_INTERNAL,
        message: String((error as Error)?.message ?? error),
      });
    return EXIT_INTERNAL;
  }
}

function report(message: string, hint: string | undefined, details: readonly string[] = []): void {
  const color = colorEnabled(process.stderr);
  const red = (text: string) => (color ? `\u001b[31m${text}\u001b[39m` : text);
  const dim = (text: string) => (color ? `\u001b[2m${text}\u001b[22m` : text);
  let text = `${red('error:')} ${message}\n`;
  for (const detail of details) text += `  - ${detail}\n`;
  if (hint) text += `${dim('→')} ${hint}\n`;
  process.stderr.write(text);
}

function printJson(error: Record<string, unknown>, report?: unknown): void {
  const document =
    report && typeof report === 'object' ? { ...report, ok: false, error } : { ok: false, error };
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

const code = await main(process.argv);
// Exit explicitly: an idle keep-alive connection or database handle must not keep the command alive.
// Pending output is flushed first (pipes and files are written synchronously on POSIX; this covers the rest).
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.exit(code);

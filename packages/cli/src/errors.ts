import { ExitCode, type ExitCodeValue } from './exit-codes.ts';

/** Machine-readable cause, printed with `--json` so scripts need not parse the sentence. */
export type ErrorKind =
  | 'usage'
  | 'not_logged_in'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'target_not_empty'
  | 'bad_file'
  | 'decryption_failed'
  | 'server_error'
  | 'network_error'
  | 'database_busy';

const exitCodeOf: Record<ErrorKind, ExitCodeValue> = {
  usage: ExitCode.usage,
  not_logged_in: ExitCode.auth,
  unauthorized: ExitCode.auth,
  forbidden: ExitCode.auth,
  not_found: ExitCode.auth,
  rate_limited: ExitCode.rateLimited,
  target_not_empty: ExitCode.targetNotEmpty,
  bad_file: ExitCode.badFile,
  decryption_failed: ExitCode.badFile,
  server_error: ExitCode.server,
  network_error: ExitCode.server,
  database_busy: ExitCode.server,
};

export interface ErrorOptions {
  hint?: string;
  details?: readonly string[];
  report?: unknown;
}

/**
 * An error the user can act on: `message` names the cause, `hint` the next step. Anything else that
 * escapes a command is a bug and is reported as such.
 */
export class CliError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  /** Extra structured facts (per-row archive errors, server details) for `--json` and the human report. */
  readonly details: readonly string[];
  /** A full report (e.g. of a failed verify) that `--json` prints beside the error. */
  readonly report: unknown;

  constructor(kind: ErrorKind, message: string, options: ErrorOptions = {}) {
    super(message);
    this.name = 'CliError';
    this.kind = kind;
    this.hint = options.hint;
    this.details = options.details ?? [];
    this.report = options.report;
  }

  get exitCode(): ExitCodeValue {
    return exitCodeOf[this.kind];
  }
}

export function usageError(message: string, hint?: string): CliError {
  return new CliError('usage', message, { hint });
}

export function badFile(message: string, options: ErrorOptions = {}): CliError {
  return new CliError('bad_file', message, options);
}

import { CliError } from '../errors.ts';

/** Turns a failed connection (refused, DNS, reset, timeout) into exit 5 with what to check next. */
export function networkError(apiUrl: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND'
        ? 'host not found'
        : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
          ? 'connection reset'
          : (error as Error).name === 'TimeoutError'
            ? 'timed out'
            : (cause?.message ?? (error as Error).message);
  return new CliError('network_error', `cannot reach the Hisaabo server at ${apiUrl} (${reason})`, {
    hint: 'check that it is running (`hisaabo serve`) and the address (--api-url or HISAABO_API_URL)',
  });
}

/** For answers that are not what a Hisaabo server sends (a proxy page, a different service). */
export function unexpectedAnswer(apiUrl: string, status: number, what: string): CliError {
  return new CliError('server_error', `unexpected answer from ${apiUrl} (HTTP ${status}) ${what}`, {
    hint: 'check that --api-url points at a Hisaabo server of a compatible version',
  });
}

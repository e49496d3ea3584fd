import { CliError } from '../errors.ts';
import { NEW_ORGANIZATION_HINT, refusalByCode } from '../api/refusals.ts';
import { httpErrorSchema } from '../api/schemas.ts';

/**
 * The download and upload routes answer errors as JSON `{error, message}` with an HTTP status; this
 * maps the code (or, without one, the status) to the exit code of its cause.
 */
export function transferError(status: number, body: string, what: 'export' | 'restore'): CliError {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const parsed = httpErrorSchema.safeParse(JSON.parse(body));
    if (parsed.success) {
      code = parsed.data.error;
      message = parsed.data.message ?? parsed.data.error;
    }
  } catch {
    // not JSON: a proxy or an older server; the status alone must do
  }
  const text = message ?? (body.trim().slice(0, 200) || `HTTP ${status}`);
  const refusal = refusalByCode(code, text);
  if (refusal) return refusal;
  if (status === 401) {
    return new CliError('unauthorized', `the ${what} link was refused: ${text}`, {
      hint: `run the ${what} again; if it persists, check that you are still an owner (\`hisaabo tenant list\`)`,
    });
  }
  if (status === 403) return new CliError('forbidden', text);
  if (status === 404)
    return new CliError('not_found', text, { hint: 'check the organization with `hisaabo tenant list`' });
  // A 409 without a code: an older server; the status alone must do.
  if (status === 409) return new CliError('target_not_empty', text, { hint: NEW_ORGANIZATION_HINT });
  if (status === 429) return new CliError('rate_limited', text);
  if (status === 413) {
    return new CliError('bad_file', `the server refused the archive as too large: ${text}`, {
      hint: 'the server limits are HISAABO_MAX_UPLOAD_BYTES and HISAABO_MAX_ARCHIVE_BYTES; or use `hisaabo restore --local`',
    });
  }
  if (status === 400 || status === 415 || status === 422) return new CliError('bad_file', text);
  return new CliError('server_error', `the server failed the ${what} (HTTP ${status}): ${text}`, {
    hint: 'try again; if it persists, check the server log',
  });
}

import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../error-codes.ts';

/**
 * A refusal from the backup routes, answered as JSON `{error, message}`: `error` is a stable code for
 * programs, `message` a sentence for people.
 */
export class BackupHttpError extends Error {
  override name = 'BackupHttpError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  toJSON(): { error: ErrorCode; message: string } {
    return { error: this.code, message: this.message };
  }
}

export function jsonErrorResponse(error: BackupHttpError): Response {
  return new Response(JSON.stringify(error.toJSON()), {
    status: error.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}

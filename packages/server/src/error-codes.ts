/**
 * Every machine code the server answers, in one list: the HTTP status the signed links answer it
 * with, and what it means. Programs (the CLI, the web app, scripts) switch on these codes, never on
 * message text. A tRPC error carries its code in `error.data.hisaaboCode`; a signed-link route answers
 * JSON `{"error": CODE, "message"}`. This module has no imports so any client can bundle it.
 */
export const ERROR_CODES = {
  TOKEN_MISSING: { status: 401, meaning: 'the link has no ?token=' },
  TOKEN_INVALID: { status: 401, meaning: 'the token was not issued by this server' },
  TOKEN_EXPIRED: { status: 401, meaning: 'the link is older than its 15 minutes' },
  TOKEN_USED: { status: 401, meaning: 'the single-use link was already used' },
  TOKEN_TENANT_MISMATCH: { status: 401, meaning: 'the link is for another organization' },
  TOKEN_BUSINESS_MISMATCH: { status: 401, meaning: 'the CSV link is for another business' },
  NOT_MEMBER: { status: 401, meaning: "the link's user is no longer a member of the organization" },
  NOT_OWNER: { status: 401, meaning: "the link's user is no longer an owner of the organization" },
  TENANT_NOT_ACTIVE: { status: 403, meaning: 'the organization is suspended or deleted' },
  TENANT_NOT_FOUND: { status: 404, meaning: 'no such organization' },
  BUSINESS_NOT_FOUND: { status: 404, meaning: 'no such business' },
  BACKUP_NOT_FOUND: { status: 404, meaning: 'no such stored backup (it may have been rotated away)' },
  TARGET_NOT_EMPTY: { status: 409, meaning: 'the organization has data; restore only into an empty one' },
  EMPTY_BODY: { status: 400, meaning: 'the upload had no body' },
  UPLOAD_INTERRUPTED: { status: 400, meaning: 'the upload broke off before its end' },
  UPLOAD_TIMED_OUT: { status: 408, meaning: 'the client sent nothing for too long' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'the compressed upload exceeds HISAABO_MAX_UPLOAD_BYTES' },
  ARCHIVE_TOO_LARGE: { status: 413, meaning: 'the unpacked archive exceeds HISAABO_MAX_ARCHIVE_BYTES' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'the upload is not sent as application/gzip' },
  INVALID_ARCHIVE: { status: 422, meaning: 'the archive is damaged or its rows are invalid' },
  INCOMPATIBLE_VERSION: { status: 422, meaning: 'the archive was written by an unsupported version' },
  TOO_MANY_REQUESTS: { status: 429, meaning: 'a limit was reached (exports per day)' },
  RESTORE_FAILED: { status: 500, meaning: 'the restore failed on the server; nothing was imported' },
  EXPORT_FAILED: { status: 500, meaning: 'the backup could not be prepared on the server' },
  SERVER_STOPPING: { status: 503, meaning: 'the server is shutting down; try again shortly' },
  INSUFFICIENT_STORAGE: { status: 507, meaning: "the server's disk is full" },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

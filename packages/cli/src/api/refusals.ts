import { type ErrorCode, isErrorCode } from '@hisaabo/server/error-codes';
import { CliError, type ErrorKind } from '../errors.ts';

export const NEW_ORGANIZATION_HINT =
  'restore only into a new, empty organization: `hisaabo tenant create --slug <new-slug>`';

/** The server's codes that decide the exit status by themselves, whatever the HTTP status or tRPC code. */
const KIND_OF_CODE: Partial<Record<ErrorCode, { kind: ErrorKind; hint?: string }>> = {
  TARGET_NOT_EMPTY: { kind: 'target_not_empty', hint: NEW_ORGANIZATION_HINT },
  INVALID_ARCHIVE: { kind: 'bad_file' },
  INCOMPATIBLE_VERSION: { kind: 'bad_file' },
};

/**
 * The CliError for a refusal the server marked with one of its codes (tRPC `data.hisaaboCode`, or a
 * signed link's `{"error"}`), or undefined when the code does not settle it on its own.
 */
export function refusalByCode(code: string | undefined, message: string): CliError | undefined {
  if (!isErrorCode(code)) return undefined;
  const known = KIND_OF_CODE[code];
  return known ? new CliError(known.kind, message, known.hint ? { hint: known.hint } : {}) : undefined;
}

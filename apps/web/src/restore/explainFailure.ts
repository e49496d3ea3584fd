import { ERROR_CODES, isErrorCode } from '@hisaabo/server/error-codes';
import { forPeople } from '../api/errors.ts';
import type { RestoreFailure, RestoreProblem } from './restoreResponse.ts';

export interface Explanation {
  title: string;
  /** What happened, in the server's words where it gave any. */
  detail?: string;
  /** What the user can do about it. */
  advice: string;
}

const NOTHING_CHANGED = 'Nothing was imported: the organization is still empty.';

/**
 * Puts an upload's failure into words a user can act on; never just "Server error (422)". The
 * server's code decides which words (through the status its list gives it); only an answer without
 * a code (a proxy, a lost connection) is explained by its HTTP status.
 */
export function explainFailure(failure: RestoreFailure): Explanation {
  const detail = failure.message === undefined ? undefined : forPeople(failure.message);
  const kind = isErrorCode(failure.code) ? ERROR_CODES[failure.code].status : failure.status;
  switch (kind) {
    case 0:
      return {
        title: 'The connection to the server was lost',
        detail,
        advice:
          'Check your connection, then choose the file again. If the restore had already finished, reloading the page shows your data.',
      };
    case 400:
      return {
        title: 'The server could not read the upload',
        detail,
        advice: `${NOTHING_CHANGED} Choose the backup file again.`,
      };
    case 401:
      return {
        title: 'The upload link is no longer valid',
        detail,
        advice: `${NOTHING_CHANGED} Upload links are single-use and expire after 15 minutes; start the restore again.`,
      };
    case 403:
      return {
        title: 'You are not allowed to restore into this organization',
        detail,
        advice: 'Only an owner of the organization can restore a backup. Ask an owner, or sign in as one.',
      };
    case 409:
      return {
        title: 'This organization is not empty',
        detail,
        advice:
          'A backup can only be restored into an organization with no business. Create a new organization and restore into it.',
      };
    case 413:
      return {
        title: 'The backup is larger than this server accepts',
        detail,
        advice: `${NOTHING_CHANGED} The server's administrator can raise the limits (HISAABO_MAX_UPLOAD_BYTES, HISAABO_MAX_ARCHIVE_BYTES).`,
      };
    case 415:
      return {
        title: 'The file was not sent as a gzip archive',
        detail,
        advice: 'Choose the .tar.gz file exactly as it was downloaded.',
      };
    case 422:
      return {
        title: 'The backup could not be restored',
        detail,
        advice: `${NOTHING_CHANGED} The file is damaged, incomplete, or was changed after it was exported. Download a fresh backup from the original organization (Settings > Data > Download backup) and try again; hisaabo verify -i <file> checks a file without uploading it.`,
      };
    default:
      return {
        title: `The restore failed (HTTP ${failure.status})`,
        detail,
        advice:
          'Nothing is imported unless the whole backup is. Try again; if it keeps failing, the server log has the details.',
      };
  }
}

/** "invoices · line 12 · column total" — where in the archive a problem is. */
export function describeLocation(problem: RestoreProblem): string {
  const parts: string[] = [];
  if (problem.table) parts.push(problem.table);
  if (problem.line !== undefined && problem.line !== null) parts.push(`line ${problem.line}`);
  if (problem.column) parts.push(`column ${problem.column}`);
  return parts.length ? parts.join(' · ') : 'whole archive';
}

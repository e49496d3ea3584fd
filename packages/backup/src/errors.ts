/** One problem found in an archive, located as precisely as the reader knows. */
export interface BackupIssue {
  table: string | null;
  /** 1-based line of the table's NDJSON text, when the problem is in a row. */
  line: number | null;
  column: string | null;
  message: string;
}

export interface BackupWarning {
  table?: string;
  message: string;
}

export type BackupErrorCode =
  | 'TARGET_NOT_EMPTY'
  | 'INVALID_ARCHIVE'
  | 'ARCHIVE_TOO_LARGE'
  | 'INCOMPATIBLE_VERSION'
  | 'TENANT_NOT_FOUND';

export class BackupError extends Error {
  readonly code: BackupErrorCode;
  readonly errors: BackupIssue[];

  constructor(code: BackupErrorCode, message: string, errors: BackupIssue[] = []) {
    super(message);
    this.name = 'BackupError';
    this.code = code;
    this.errors = errors.length > 0 ? errors : [{ table: null, line: null, column: null, message }];
  }
}

export function issue(
  message: string,
  where: { table?: string | null; line?: number | null; column?: string | null } = {},
): BackupIssue {
  return { table: where.table ?? null, line: where.line ?? null, column: where.column ?? null, message };
}

/** An archive problem: the archive is wrong, not the server. */
export function invalid(message: string, where?: Parameters<typeof issue>[1]): BackupError {
  return new BackupError('INVALID_ARCHIVE', message, [issue(message, where)]);
}

/**
 * Every problem found, summed up by the first one; `stopped` when the reader gave up counting, so the
 * list holds the first problems only.
 */
export function invalidArchive(issues: BackupIssue[], stopped = false): BackupError {
  const summary = summarize(issues);
  return new BackupError(
    'INVALID_ARCHIVE',
    stopped ? summary.replace(' in the archive;', ' in the archive (reading stopped there);') : summary,
    issues,
  );
}

function summarize(issues: BackupIssue[]): string {
  const first = issues[0];
  if (!first) return 'the archive is invalid';
  const where = [first.table, first.line !== null ? `line ${first.line}` : null, first.column]
    .filter(Boolean)
    .join(', ');
  return `${issues.length} problem${issues.length === 1 ? '' : 's'} in the archive; first: ${where ? `${where}: ` : ''}${first.message}`;
}

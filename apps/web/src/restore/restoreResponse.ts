// The answers of POST /api/selfImport/:tenantId, as the server sends them. They are read from a raw
// HTTP response (an upload with progress cannot go through tRPC), so they are typed here.

export interface RestoreSource {
  instanceId?: string;
  tenantId?: string;
  slug?: string;
  name?: string;
  exportedAt?: string;
  appVersion?: string;
  schemaVersion?: number;
}

export interface RestoreCompatibility {
  formatVersion?: number;
  sourceAppVersion?: string;
  targetAppVersion?: string;
  appVersionMatch?: boolean;
  sourceSchemaVersion?: number;
  targetSchemaVersion?: number;
  schemaChecksumMatch?: boolean;
  /** Upgrade steps applied to an older archive's rows. */
  upgrades?: string[];
}

export interface RestoreWarning {
  table?: string | null;
  message: string;
}

/** Where the engine found a problem: as precise as it knows (null when not known). */
export interface RestoreProblem {
  table?: string | null;
  line?: number | null;
  column?: string | null;
  message: string;
}

export interface RestoreSuccess {
  ok: true;
  rowsInserted: Record<string, number>;
  warnings: RestoreWarning[];
  durationMs: number;
  source?: RestoreSource;
  compatibility?: RestoreCompatibility;
  /** Recurring templates paused because the restore was asked to (a test copy must not bill anyone). */
  pausedRecurringTemplates?: number;
}

/** Every way an upload can end other than success, with what the server said. */
export interface RestoreFailure {
  ok: false;
  /** HTTP status, or 0 when no answer arrived (connection lost). */
  status: number;
  code?: string;
  message?: string;
  errors: RestoreProblem[];
  warnings: RestoreWarning[];
}

export type RestoreOutcome = RestoreSuccess | RestoreFailure;

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** Turns the status and body text into an outcome, tolerating a body that is not JSON. */
export function parseRestoreResponse(status: number, bodyText: string): RestoreOutcome {
  let body: Record<string, unknown> = {};
  try {
    body = asRecord(JSON.parse(bodyText));
  } catch {
    body = bodyText.trim() ? { message: bodyText.trim().slice(0, 500) } : {};
  }
  const warnings = Array.isArray(body.warnings) ? (body.warnings as RestoreWarning[]) : [];
  if (status === 200 && body.ok === true) {
    return {
      ok: true,
      rowsInserted: asRecord(body.rowsInserted) as Record<string, number>,
      warnings,
      durationMs: typeof body.durationMs === 'number' ? body.durationMs : 0,
      source: body.source ? (asRecord(body.source) as RestoreSource) : undefined,
      compatibility: body.compatibility ? (asRecord(body.compatibility) as RestoreCompatibility) : undefined,
      pausedRecurringTemplates:
        typeof body.pausedRecurringTemplates === 'number' ? body.pausedRecurringTemplates : undefined,
    };
  }
  return {
    ok: false,
    status,
    code: typeof body.error === 'string' ? body.error : undefined,
    message: typeof body.message === 'string' ? body.message : undefined,
    errors: Array.isArray(body.errors) ? (body.errors as RestoreProblem[]) : [],
    warnings,
  };
}

/** The connection ended without an answer. */
export function noAnswer(message?: string): RestoreFailure {
  return { ok: false, status: 0, message, errors: [], warnings: [] };
}

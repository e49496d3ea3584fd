import { BOUNDED_DATE_COLUMNS, jsonValueProblem, MAX_JSON_DEPTH } from '@hisaabo/db/values';
import { type BackupIssue, issue } from './errors.ts';
import { rowColumns } from './table-columns.ts';
import type { ColumnDef, TableDef } from './table-defs.ts';

// One predicate per column, built from the column's SQL type: a row is accepted only if every value
// is exactly what the exporter writes for that type (docs/backup-format.md), so a restored value can
// never differ from the one exported. Plain predicates rather than zod schemas: this runs once per
// value of every row of a restore (millions of calls), where zod's generality cost a fifth of the
// restore's time; the archive's manifest and index, read once, are checked with zod.

export type Row = Record<string, unknown>;

export type Check = (value: unknown) => boolean;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BIGINT = /^-?(0|[1-9]\d{0,18})$/;
const ANY_DECIMAL = /^-?\d+(\.\d+)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The YYYY-MM-DD at the start of `s` is a calendar date (proleptic Gregorian, as PostgreSQL's). */
function validDate(s: string): boolean {
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || year < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

const HEX_LOWER = new Uint8Array(128);
for (const c of '0123456789abcdef') HEX_LOWER[c.charCodeAt(0)] = 1;

/** A lowercase 8-4-4-4-12 uuid; a character loop, since this runs for most values of a restore. */
function isUuid(v: unknown): boolean {
  if (typeof v !== 'string' || v.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const code = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false;
    } else if (code > 127 || HEX_LOWER[code] !== 1) return false;
  }
  return true;
}

const isDate: Check = (v) => typeof v === 'string' && DATE.test(v) && validDate(v);

const isInstant: Check = (v) =>
  typeof v === 'string' &&
  INSTANT.test(v) &&
  validDate(v) &&
  Number(v.slice(11, 13)) < 24 &&
  Number(v.slice(14, 16)) < 60 &&
  Number(v.slice(17, 19)) < 60;

// A lone surrogate has no UTF-8 form: it would reach the database as U+FFFD, silently changed.
const isText: Check = (v) => typeof v === 'string' && !v.includes('\u0000') && v.isWellFormed();

const matches =
  (pattern: RegExp): Check =>
  (v) =>
    typeof v === 'string' && pattern.test(v);

const wholeNumber =
  (min: number, max: number): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

function numericCheck(type: string): Check {
  const match = /^numeric\((\d+),(\d+)\)$/.exec(type);
  if (!match) return matches(ANY_DECIMAL);
  const precision = Number(match[1]);
  const scale = Number(match[2]);
  const whole = precision - scale;
  const integer = whole > 0 ? `(0|[1-9]\\d{0,${whole - 1}})` : '0';
  return matches(new RegExp(`^-?${integer}${scale > 0 ? `\\.\\d{${scale}}` : ''}$`));
}

function varcharCheck(max: number): Check {
  // UTF-16 length bounds the code-point count from above, so most values need no counting.
  return (v) => isText(v) && ((v as string).length <= max || [...(v as string)].length <= max);
}

const isBytes: Check = (v) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const bytes = v as { __type?: unknown; base64?: unknown };
  return (
    keys.length === 2 &&
    bytes.__type === 'bytes' &&
    typeof bytes.base64 === 'string' &&
    BASE64.test(bytes.base64)
  );
};

function baseCheck(type: string): Check {
  if (type === 'uuid') return isUuid;
  if (type === 'text') return isText;
  const varchar = /^character varying\((\d+)\)$/.exec(type);
  if (varchar) return varcharCheck(Number(varchar[1]));
  if (type.startsWith('numeric')) return numericCheck(type);
  if (type === 'smallint') return wholeNumber(-32768, 32767);
  if (type === 'integer') return wholeNumber(-2147483648, 2147483647);
  if (type === 'bigint') return matches(BIGINT);
  if (type === 'boolean') return (v) => typeof v === 'boolean';
  if (type === 'date') return isDate;
  if (/^timestamp(\(\d\))? with time zone$/.test(type)) return isInstant;
  // Any value JSON.parse produced is JSON; what the database could not store as it is, is refused.
  if (type === 'jsonb' || type === 'json') return (v) => v !== undefined && jsonValueProblem(v) === null;
  if (type === 'bytea') return isBytes;
  throw new Error(`no validator for column type ${type}`);
}

/** Allowed values of text columns the application treats as enumerations, by `table.column`. */
export type EnumValues = ReadonlyMap<string, readonly string[]>;

function dateWords(table: string, column: string): string {
  const bounds = BOUNDED_DATE_COLUMNS.get(`${table}.${column}`);
  return bounds ? `a date string YYYY-MM-DD from ${bounds.min} to ${bounds.max}` : 'a date string YYYY-MM-DD';
}

/** What a value of the column must look like, in the words of an error message. */
function describe(table: string, column: ColumnDef, enumValues: EnumValues): string {
  const allowed = enumValues.get(`${table}.${column.name}`);
  const type = column.type;
  let what: string;
  if (allowed && type === 'text') what = `one of ${allowed.map((v) => `"${v}"`).join(', ')}`;
  else if (type === 'uuid') what = 'a lowercase uuid string';
  else if (type.startsWith('numeric')) {
    const m = /^numeric\((\d+),(\d+)\)$/.exec(type);
    what = m
      ? `a decimal string with at most ${Number(m[1]) - Number(m[2])} integer digits and exactly ${m[2]} decimals (${type}), e.g. "118${Number(m[2]) > 0 ? `.${'0'.repeat(Number(m[2]))}` : ''}"`
      : 'a decimal string';
  } else if (type === 'smallint' || type === 'integer') what = `a whole number (${type})`;
  else if (type === 'bigint') what = 'a whole number as a string (bigint)';
  else if (type === 'date') what = dateWords(table, column.name);
  else if (type.includes('with time zone'))
    what = 'an ISO-8601 UTC instant with 6 fractional digits, e.g. "2026-01-31T09:30:00.000000Z"';
  else if (type === 'bytea') what = '{"__type":"bytes","base64":"…"} with standard base64';
  else if (type === 'boolean') what = 'true or false';
  else if (type === 'text') what = 'a string without NUL characters or lone surrogates';
  else if (type.startsWith('character varying'))
    what = `a string without NUL characters or lone surrogates of at most ${/\d+/.exec(type)?.[0]} characters`;
  else if (type === 'jsonb' || type === 'json')
    what = `a JSON value at most ${MAX_JSON_DEPTH} levels deep, without lone surrogates`;
  else what = `a value of type ${type}`;
  return column.notNull ? `${what}, not null` : `${what} or null`;
}

function columnCheck(table: string, column: ColumnDef, enumValues: EnumValues): Check {
  const allowed = enumValues.get(`${table}.${column.name}`);
  let base = baseCheck(column.type);
  const bounds = column.type === 'date' ? BOUNDED_DATE_COLUMNS.get(`${table}.${column.name}`) : undefined;
  if (bounds) {
    // Same-length YYYY-MM-DD strings compare as dates.
    base = (v) => isDate(v) && (v as string) >= bounds.min && (v as string) <= bounds.max;
  }
  if (allowed && column.type === 'text') {
    const values = new Set(allowed);
    base = (v) => typeof v === 'string' && values.has(v);
  }
  if (column.notNull) return (v) => v !== null && base(v);
  return (v) => v === null || base(v);
}

/** Each archive column's predicate (`rowColumns` order): true exactly when the value is valid. */
export function columnChecks(table: TableDef, enumValues: EnumValues): Check[] {
  return rowColumns(table).map((c) => columnCheck(table.name, c, enumValues));
}

/** The value as JSON for an error message; a value nested too deep for JSON.stringify is named so. */
function printed(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return '(a value nested too deep to print)';
  }
}

const NO_ISSUES: BackupIssue[] = Object.freeze([]) as unknown as BackupIssue[];

export interface RowValidator {
  readonly table: string;
  /** The row's issues; empty when the row is valid. */
  check(value: unknown, line: number): BackupIssue[];
}

/** The validator of one table's rows; `enumValues` from row-validator.ts (the schema's). */
export function rowChecker(table: TableDef, enumValues: EnumValues): RowValidator {
  const columns = rowColumns(table).map((c) => ({
    name: c.name,
    valid: columnCheck(table.name, c, enumValues),
    expected: describe(table.name, c, enumValues),
  }));
  const known = new Set(columns.map((c) => c.name));
  const names = columns.map((c) => c.name);
  const checks = columns.map((c) => c.valid);
  // Nearly every row is valid: one pass over its values, no allocation. Every column present and
  // valid and as many keys as columns means no unknown and no missing column; anything else takes
  // the long way, which names each problem.
  const isValid = (row: Row): boolean => {
    for (let i = 0; i < names.length; i++) {
      const v = row[names[i]!];
      if (v === undefined || !checks[i]!(v)) return false;
    }
    return Object.keys(row).length === names.length;
  };
  return {
    table: table.name,
    check(value, line) {
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && isValid(value as Row)) {
        return NO_ISSUES;
      }
      const where = { table: table.name, line };
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return [issue('the line is not a JSON object', where)];
      }
      const row = value as Row;
      const issues: BackupIssue[] = [];
      for (const key of Object.keys(row)) {
        if (!known.has(key)) {
          issues.push(
            issue(`unknown column "${key}": ${table.name} has no such column`, { ...where, column: key }),
          );
        }
      }
      for (const column of columns) {
        if (!(column.name in row)) {
          issues.push(issue('missing column', { ...where, column: column.name }));
          continue;
        }
        if (!column.valid(row[column.name])) {
          const got = printed(row[column.name]);
          issues.push(
            issue(
              `invalid value ${got.length > 80 ? `${got.slice(0, 77)}...` : got}: expected ${column.expected}`,
              {
                ...where,
                column: column.name,
              },
            ),
          );
        }
      }
      return issues;
    },
  };
}

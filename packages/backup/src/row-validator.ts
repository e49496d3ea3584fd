import { TENANT_TABLES } from '@hisaabo/db';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { type BackupIssue, issue } from './errors.ts';
import { type ColumnDef, type TableDef, rowColumns } from './table-defs.ts';

// One zod validator per column, built from the column's SQL type: a row is accepted only if every
// value is exactly what the exporter writes for that type (docs/backup-format.md), so a restored
// value can never differ from the one exported.

export type Row = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function validDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

const dateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(
    (s) => validDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))),
    'a calendar date',
  );

const instantString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/, 'an ISO-8601 UTC instant with 6 fractional digits')
  .refine((s) => {
    const [h, m, sec] = [Number(s.slice(11, 13)), Number(s.slice(14, 16)), Number(s.slice(17, 19))];
    return (
      validDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))) &&
      h < 24 &&
      m < 60 &&
      sec < 60
    );
  }, 'a valid instant');

const text = z.string().refine((s) => !s.includes('\u0000'), 'text without NUL characters');

function numericString(type: string): z.ZodType {
  const match = /^numeric\((\d+),(\d+)\)$/.exec(type);
  if (!match) return z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal number as a string');
  const precision = Number(match[1]);
  const scale = Number(match[2]);
  const whole = precision - scale;
  const integer = whole > 0 ? `(0|[1-9]\\d{0,${whole - 1}})` : '0';
  const pattern = new RegExp(`^-?${integer}${scale > 0 ? `\\.\\d{${scale}}` : ''}$`);
  return z
    .string()
    .regex(pattern, `a decimal string with at most ${whole} integer digits and exactly ${scale} decimals`);
}

function baseValidator(type: string): z.ZodType {
  if (type === 'uuid') return z.string().regex(UUID, 'a lowercase uuid');
  if (type === 'text') return text;
  const varchar = /^character varying\((\d+)\)$/.exec(type);
  if (varchar)
    return text.refine((s) => [...s].length <= Number(varchar[1]), `at most ${varchar[1]} characters`);
  if (type.startsWith('numeric')) return numericString(type);
  if (type === 'smallint') return z.number().int().min(-32768).max(32767);
  if (type === 'integer') return z.number().int().min(-2147483648).max(2147483647);
  if (type === 'bigint') return z.string().regex(/^-?(0|[1-9]\d{0,18})$/, 'an integer as a string');
  if (type === 'boolean') return z.boolean();
  if (type === 'date') return dateString;
  if (/^timestamp(\(\d\))? with time zone$/.test(type)) return instantString;
  if (type === 'jsonb' || type === 'json') return z.json();
  if (type === 'bytea') {
    return z.strictObject({
      __type: z.literal('bytes'),
      base64: z.string().regex(BASE64, 'standard base64'),
    });
  }
  throw new Error(`no validator for column type ${type}`);
}

/** Allowed values of text columns the application treats as enumerations. */
const enumValues: Map<string, readonly string[]> = new Map(
  TENANT_TABLES.flatMap((spec) =>
    getTableConfig(spec.table)
      .columns.filter((c) => Array.isArray(c.enumValues) && c.enumValues.length > 0)
      .map((c) => [`${spec.name}.${c.name}`, c.enumValues as readonly string[]] as const),
  ),
);

/** What a value of the column must look like, in the words of an error message. */
function describe(table: string, column: ColumnDef): string {
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
  else if (type === 'date') what = 'a date string YYYY-MM-DD';
  else if (type.includes('with time zone'))
    what = 'an ISO-8601 UTC instant with 6 fractional digits, e.g. "2026-01-31T09:30:00.000000Z"';
  else if (type === 'bytea') what = '{"__type":"bytes","base64":"…"} with standard base64';
  else if (type === 'boolean') what = 'true or false';
  else if (type === 'text') what = 'a string without NUL characters';
  else what = `a value of type ${type}`;
  return column.notNull ? `${what}, not null` : `${what} or null`;
}

function columnValidator(table: string, column: ColumnDef): z.ZodType {
  const allowed = enumValues.get(`${table}.${column.name}`);
  const base =
    allowed && column.type === 'text' ? z.enum(allowed as [string, ...string[]]) : baseValidator(column.type);
  return column.notNull ? base : base.nullable();
}

export interface RowValidator {
  readonly table: string;
  /** The row's issues; empty when the row is valid. */
  check(value: unknown, line: number): BackupIssue[];
}

export function rowValidator(table: TableDef): RowValidator {
  const columns = rowColumns(table).map((c) => ({
    name: c.name,
    schema: columnValidator(table.name, c),
    expected: describe(table.name, c),
  }));
  const known = new Set(columns.map((c) => c.name));
  return {
    table: table.name,
    check(value, line) {
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
        const result = column.schema.safeParse(row[column.name]);
        if (!result.success) {
          const got = JSON.stringify(row[column.name]) ?? 'undefined';
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

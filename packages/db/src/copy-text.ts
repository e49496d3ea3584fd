// COPY's text format, the fastest way into PostgreSQL and PGlite: one line per row, fields separated
// by tabs, \N for null, and backslash escapes for the four characters the format gives a meaning.

export type CopyValue = string | number | boolean | null | Record<string, unknown> | unknown[];

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Text as a COPY field (most values have nothing to escape, so they are tested first). */
export function escapeCopyText(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}

/** A value as a COPY field: objects and arrays as JSON, booleans as t/f. */
export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return escapeCopyText(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

export function copyRows(rows: readonly CopyValue[][]): string {
  let out = '';
  for (const row of rows) out += `${row.map(copyField).join('\t')}\n`;
  return out;
}

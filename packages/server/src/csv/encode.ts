/** UTF-8 byte order mark: without it, spreadsheet apps read UTF-8 CSV files as a legacy code page. */
export const BOM = '\uFEFF';

// A cell starting with one of these is run as a formula by spreadsheet apps (OWASP "CSV injection").
// Spreadsheets skip leading spaces, line breaks and no-break spaces before a formula, and several
// take the full-width (＝＋－＠) and small (﹦﹢﹣﹫) forms and the minus sign (−) for the ASCII ones.
const FORMULA_START = /^(?:[\t\r]|[\s\p{Cc}]*[=+\-@＝＋－＠﹦﹢﹣﹫−])/u;
// A plain number such as -12.50 is data, not a formula; keeping it unchanged keeps it a number.
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** Makes a cell inert for spreadsheets by prefixing a single quote, which they show as text. */
export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** One field under RFC 4180: quoted when it holds a quote, comma, CR or LF; quotes doubled. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = neutralizeFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record, CRLF-terminated as RFC 4180 specifies. */
export function csvRecord(values: readonly (string | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { INSTANT_SQL_TYPE, expenses, invoiceItems, invoices, items, parties, payments } from '@hisaabo/db';

/** One CSV file of the export: a table of the current business, every column but the scoping ones. */
export interface CsvFile {
  readonly fileName: string;
  readonly table: string;
  /** SQL column names, also the header row. */
  readonly columns: readonly string[];
  /** The columns holding instants, written like the API writes them rather than as PostgreSQL's text. */
  readonly instants: ReadonlySet<string>;
  /** Lines belong to the business through their invoice rather than a column of their own. */
  readonly scope: 'business' | 'invoice';
}

// tenant_id and business_id are the same on every row of one export, so they only add noise.
const SCOPING_COLUMNS = new Set(['tenant_id', 'business_id']);

function csvFile(fileName: string, table: PgTable, scope: CsvFile['scope'] = 'business'): CsvFile {
  const config = getTableConfig(table);
  const columns = config.columns.filter((c) => !SCOPING_COLUMNS.has(c.name));
  return {
    fileName,
    table: config.name,
    columns: columns.map((c) => c.name),
    instants: new Set(columns.filter((c) => c.getSQLType() === INSTANT_SQL_TYPE).map((c) => c.name)),
    scope,
  };
}

export const CSV_FILES: readonly CsvFile[] = [
  csvFile('parties.csv', parties),
  csvFile('items.csv', items),
  csvFile('invoices.csv', invoices),
  csvFile('invoice_line_items.csv', invoiceItems, 'invoice'),
  csvFile('payments.csv', payments),
  csvFile('expenses.csv', expenses),
];

export const CSV_README = `These CSV files are a spreadsheet-friendly copy of one business.
They are NOT a backup and cannot be restored. For a restorable backup of the whole
organization, use "Download backup" (owners only) or \`hisaabo export\`.

Cells that would start with = + - @ (or a tab or carriage return) are prefixed with a single
quote, so spreadsheet apps show them as text instead of running them as formulas.
`;

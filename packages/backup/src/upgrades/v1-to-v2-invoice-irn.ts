import type { UpgradeStep } from './types.ts';

/**
 * Migration 0001_invoice_irn appended the nullable column `invoices.irn`. Archives of schema 1 have
 * no e-invoice reference numbers, so every upgraded invoice gets `irn: null` — what the migration
 * itself gave existing rows.
 */
export const v1ToV2InvoiceIrn: UpgradeStep = {
  from: 1,
  to: 2,
  description: 'invoices gain the e-invoice reference number column irn (empty for older invoices)',
  upgradeTables(tables) {
    return tables.map((table) =>
      table.name === 'invoices'
        ? { ...table, columns: [...table.columns, { name: 'irn', type: 'text', notNull: false }] }
        : table,
    );
  },
  upgradeRow(table, row) {
    if (table !== 'invoices') return row;
    row.irn = null;
    return row;
  },
};

import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import * as s from './schema/index.ts';

/**
 * The table registry: every organization table, in foreign-key-safe load order (a table comes after
 * every table it references, except self-references). Backup export, restore, verify and the
 * coverage tests are all driven by this one list.
 */
export interface TenantTableSpec {
  /** SQL name of the table, also the archive entry name (`<name>.ndjson`). */
  readonly name: string;
  readonly table: PgTable;
  /** Columns that reference another row of the same table: loaded in a second pass on restore. */
  readonly selfReferences?: readonly string[];
  /** Columns never written to a backup, each with the reason shown to users in the manifest. */
  readonly redacted?: Readonly<Record<string, string>>;
}

export const TENANT_TABLES: readonly TenantTableSpec[] = [
  {
    name: 'businesses',
    table: s.businesses,
    redacted: {
      einvoice_password: 'e-invoice portal password: a credential; enter it again after restoring',
    },
  },
  { name: 'document_sequences', table: s.documentSequences },
  { name: 'parties', table: s.parties },
  { name: 'items', table: s.items },
  { name: 'item_variants', table: s.itemVariants },
  { name: 'bank_accounts', table: s.bankAccounts },
  { name: 'expense_categories', table: s.expenseCategories },
  { name: 'recurring_invoice_templates', table: s.recurringInvoiceTemplates },
  { name: 'invoices', table: s.invoices, selfReferences: ['reference_invoice_id'] },
  { name: 'invoice_items', table: s.invoiceItems },
  { name: 'payments', table: s.payments },
  { name: 'payment_allocations', table: s.paymentAllocations },
  { name: 'expenses', table: s.expenses },
  { name: 'bank_transactions', table: s.bankTransactions, selfReferences: ['transfer_pair_id'] },
  { name: 'stock_adjustments', table: s.stockAdjustments },
  { name: 'recurring_invoice_runs', table: s.recurringInvoiceRuns },
  { name: 'audit_log', table: s.auditLog },
];

/** Tables that are not organization data and never go into an archive, with the reason. */
export const CONTROL_TABLES: Readonly<Record<string, string>> = {
  users: 'accounts are per instance; a backup holds business data only',
  sessions: 'login sessions belong to the instance',
  api_keys: 'credentials belong to the instance',
  tenants: 'the organization row itself; restore targets an existing empty organization',
  tenant_members: 'membership is per instance; users are not in the backup',
  tenant_invitations: 'pending memberships are per instance; users are not in the backup',
  login_limits: 'security bookkeeping',
  backup_tokens: 'signed-URL bookkeeping',
  backup_events: 'backup audit trail of this instance',
  instance_settings: 'instance-wide settings',
  backup_schedules: 'automatic backup settings of this instance',
  stored_backups: 'the backups this instance keeps on its own disk',
};

export function tenantTable(name: string): TenantTableSpec {
  const spec = TENANT_TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`unknown tenant table: ${name}`);
  return spec;
}

/** SQL column names of a registry table, in schema (declaration) order. */
export function columnNames(spec: TenantTableSpec): string[] {
  return getTableConfig(spec.table).columns.map((c) => c.name);
}

import { boolean, index, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { businessDate, createdAt, idColumn, instant, money, quantity, rate, updatedAt } from '../columns.ts';
import { ref, tenantId } from './keys.ts';
import {
  DOCUMENT_TYPES,
  businesses,
  parties,
  items,
  itemVariants,
  bankAccounts,
  expenseCategories,
  recurringInvoiceTemplates,
} from './master-data.ts';

// An organization's books: documents and their lines, payments, expenses, bank transactions, stock
// adjustments, recurring runs and the audit trail.

export const DIRECTIONS = ['sale', 'purchase'] as const;
export const INVOICE_STATUSES = [
  'draft',
  'unpaid',
  'partial',
  'paid',
  'sent',
  'accepted',
  'declined',
  'converted',
  'cancelled',
] as const;

export const invoices = pgTable(
  'invoices',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id').notNull(),
    partyId: uuid('party_id'),
    docType: text('doc_type', { enum: DOCUMENT_TYPES }).notNull(),
    direction: text('direction', { enum: DIRECTIONS }).notNull(),
    number: text('number').notNull(),
    status: text('status', { enum: INVOICE_STATUSES }).notNull(),
    invoiceDate: businessDate('invoice_date').notNull(),
    dueDate: businessDate('due_date'),
    /** The document this one corrects or follows (credit note -> invoice, return -> sale...). */
    referenceInvoiceId: uuid('reference_invoice_id'),
    recurringTemplateId: uuid('recurring_template_id'),
    placeOfSupply: text('place_of_supply'),
    billingAddress: text('billing_address'),
    shippingAddress: text('shipping_address'),
    subtotal: money('subtotal').notNull().default('0.00'),
    discountAmount: money('discount_amount').notNull().default('0.00'),
    taxAmount: money('tax_amount').notNull().default('0.00'),
    roundOff: money('round_off').notNull().default('0.00'),
    total: money('total').notNull().default('0.00'),
    amountPaid: money('amount_paid').notNull().default('0.00'),
    notes: text('notes'),
    terms: text('terms'),
    cancelledAt: instant('cancelled_at'),
    deletedAt: instant('deleted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // Added in schema version 2. New columns go last: a migration appends them to the live table, and
    // backups list columns in the live order.
    /** Invoice reference number issued by the government e-invoice portal (IRN), once registered. */
    irn: text('irn'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('invoices_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
    ref('invoices_party_fk', { tenantId: t.tenantId, col: t.partyId }, parties),
    ref(
      'invoices_reference_fk',
      { tenantId: t.tenantId, col: t.referenceInvoiceId },
      { tenantId: t.tenantId, id: t.id },
    ),
    ref(
      'invoices_recurring_template_fk',
      { tenantId: t.tenantId, col: t.recurringTemplateId },
      recurringInvoiceTemplates,
    ),
    unique('invoices_business_number_key').on(t.tenantId, t.businessId, t.direction, t.docType, t.number),
    index('invoices_business_date_idx').on(t.tenantId, t.businessId, t.invoiceDate),
    index('invoices_party_idx').on(t.tenantId, t.partyId),
  ],
);

export const invoiceItems = pgTable(
  'invoice_items',
  {
    tenantId: tenantId(),
    id: idColumn(),
    invoiceId: uuid('invoice_id').notNull(),
    position: integer('position').notNull(),
    itemId: uuid('item_id'),
    variantId: uuid('variant_id'),
    description: text('description').notNull(),
    hsnCode: text('hsn_code'),
    unit: text('unit'),
    quantity: quantity('quantity').notNull(),
    unitPrice: money('unit_price').notNull(),
    discountPercent: rate('discount_percent').notNull().default('0.00'),
    taxRate: rate('tax_rate').notNull().default('0.00'),
    taxInclusive: boolean('tax_inclusive').notNull().default(false),
    taxableAmount: money('taxable_amount').notNull(),
    taxAmount: money('tax_amount').notNull(),
    total: money('total').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('invoice_items_invoice_fk', { tenantId: t.tenantId, col: t.invoiceId }, invoices),
    ref('invoice_items_item_fk', { tenantId: t.tenantId, col: t.itemId }, items),
    ref('invoice_items_variant_fk', { tenantId: t.tenantId, col: t.variantId }, itemVariants),
    index('invoice_items_invoice_idx').on(t.tenantId, t.invoiceId),
  ],
);

export const PAYMENT_DIRECTIONS = ['in', 'out'] as const;
export const PAYMENT_MODES = ['cash', 'bank_transfer', 'upi', 'cheque', 'card', 'other'] as const;

export const payments = pgTable(
  'payments',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id').notNull(),
    partyId: uuid('party_id'),
    direction: text('direction', { enum: PAYMENT_DIRECTIONS }).notNull(),
    number: text('number').notNull(),
    mode: text('mode', { enum: PAYMENT_MODES }).notNull(),
    amount: money('amount').notNull(),
    paymentDate: businessDate('payment_date').notNull(),
    bankAccountId: uuid('bank_account_id'),
    reference: text('reference'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('payments_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
    ref('payments_party_fk', { tenantId: t.tenantId, col: t.partyId }, parties),
    ref('payments_bank_account_fk', { tenantId: t.tenantId, col: t.bankAccountId }, bankAccounts),
    unique('payments_business_number_key').on(t.tenantId, t.businessId, t.direction, t.number),
  ],
);

export const paymentAllocations = pgTable(
  'payment_allocations',
  {
    tenantId: tenantId(),
    id: idColumn(),
    paymentId: uuid('payment_id').notNull(),
    invoiceId: uuid('invoice_id').notNull(),
    amount: money('amount').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('payment_allocations_payment_fk', { tenantId: t.tenantId, col: t.paymentId }, payments),
    ref('payment_allocations_invoice_fk', { tenantId: t.tenantId, col: t.invoiceId }, invoices),
    unique('payment_allocations_payment_invoice_key').on(t.tenantId, t.paymentId, t.invoiceId),
    index('payment_allocations_invoice_idx').on(t.tenantId, t.invoiceId),
  ],
);

export const expenses = pgTable(
  'expenses',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id').notNull(),
    categoryId: uuid('category_id'),
    partyId: uuid('party_id'),
    expenseDate: businessDate('expense_date').notNull(),
    amount: money('amount').notNull(),
    taxAmount: money('tax_amount').notNull().default('0.00'),
    paid: boolean('paid').notNull().default(true),
    mode: text('mode', { enum: PAYMENT_MODES }),
    bankAccountId: uuid('bank_account_id'),
    reference: text('reference'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('expenses_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
    ref('expenses_category_fk', { tenantId: t.tenantId, col: t.categoryId }, expenseCategories),
    ref('expenses_party_fk', { tenantId: t.tenantId, col: t.partyId }, parties),
    ref('expenses_bank_account_fk', { tenantId: t.tenantId, col: t.bankAccountId }, bankAccounts),
  ],
);

export const BANK_TRANSACTION_TYPES = ['deposit', 'withdrawal', 'transfer_in', 'transfer_out'] as const;

export const bankTransactions = pgTable(
  'bank_transactions',
  {
    tenantId: tenantId(),
    id: idColumn(),
    bankAccountId: uuid('bank_account_id').notNull(),
    type: text('type', { enum: BANK_TRANSACTION_TYPES }).notNull(),
    amount: money('amount').notNull(),
    transactionDate: businessDate('transaction_date').notNull(),
    description: text('description'),
    paymentId: uuid('payment_id'),
    expenseId: uuid('expense_id'),
    /** The other half of a transfer between two accounts. */
    transferPairId: uuid('transfer_pair_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('bank_transactions_account_fk', { tenantId: t.tenantId, col: t.bankAccountId }, bankAccounts),
    ref('bank_transactions_payment_fk', { tenantId: t.tenantId, col: t.paymentId }, payments),
    ref('bank_transactions_expense_fk', { tenantId: t.tenantId, col: t.expenseId }, expenses),
    ref(
      'bank_transactions_pair_fk',
      { tenantId: t.tenantId, col: t.transferPairId },
      { tenantId: t.tenantId, id: t.id },
    ),
    index('bank_transactions_account_idx').on(t.tenantId, t.bankAccountId, t.transactionDate),
  ],
);

export const stockAdjustments = pgTable(
  'stock_adjustments',
  {
    tenantId: tenantId(),
    id: idColumn(),
    itemId: uuid('item_id').notNull(),
    variantId: uuid('variant_id'),
    quantityChange: quantity('quantity_change').notNull(),
    reason: text('reason').notNull(),
    adjustmentDate: businessDate('adjustment_date').notNull(),
    notes: text('notes'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('stock_adjustments_item_fk', { tenantId: t.tenantId, col: t.itemId }, items),
    ref('stock_adjustments_variant_fk', { tenantId: t.tenantId, col: t.variantId }, itemVariants),
  ],
);

export const RUN_STATUSES = ['succeeded', 'failed'] as const;

export const recurringInvoiceRuns = pgTable(
  'recurring_invoice_runs',
  {
    tenantId: tenantId(),
    id: idColumn(),
    templateId: uuid('template_id').notNull(),
    runDate: businessDate('run_date').notNull(),
    invoiceId: uuid('invoice_id'),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref(
      'recurring_invoice_runs_template_fk',
      { tenantId: t.tenantId, col: t.templateId },
      recurringInvoiceTemplates,
    ),
    ref('recurring_invoice_runs_invoice_fk', { tenantId: t.tenantId, col: t.invoiceId }, invoices),
    unique('recurring_invoice_runs_template_date_key').on(t.tenantId, t.templateId, t.runDate),
  ],
);

export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id'),
    /** The acting user's id. Users are not organization data, so this is not a foreign key. */
    userId: uuid('user_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: uuid('entity_id'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('audit_log_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
    index('audit_log_created_idx').on(t.tenantId, t.createdAt),
  ],
);

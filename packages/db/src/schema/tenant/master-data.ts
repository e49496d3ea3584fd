import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  businessDate,
  bytea,
  createdAt,
  idColumn,
  instant,
  money,
  quantity,
  rate,
  updatedAt,
} from '../columns.ts';
import { ref, tenantId } from './keys.ts';

// An organization's master data: its businesses and their numbering, parties, items, accounts,
// expense categories and recurring templates.

export const DOCUMENT_TYPES = [
  'invoice',
  'quotation',
  'proforma',
  'delivery_challan',
  'credit_note',
  'debit_note',
  'sales_return',
  'purchase_return',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const SEQUENCE_KINDS = [...DOCUMENT_TYPES, 'purchase', 'payment_in', 'payment_out'] as const;

export const businesses = pgTable(
  'businesses',
  {
    tenantId: tenantId(),
    id: idColumn(),
    name: text('name').notNull(),
    legalName: text('legal_name'),
    gstin: text('gstin'),
    pan: text('pan'),
    email: text('email'),
    phone: text('phone'),
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    city: text('city'),
    state: text('state'),
    stateCode: text('state_code'),
    postalCode: text('postal_code'),
    country: text('country').notNull().default('IN'),
    currency: text('currency').notNull().default('INR'),
    financialYearStartMonth: smallint('financial_year_start_month').notNull().default(4),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    logo: bytea('logo'),
    logoMimeType: text('logo_mime_type'),
    einvoiceUsername: text('einvoice_username'),
    /** A credential for the government e-invoice portal: redacted from backups. */
    einvoicePassword: text('einvoice_password'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const documentSequences = pgTable(
  'document_sequences',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id').notNull(),
    kind: text('kind', { enum: SEQUENCE_KINDS }).notNull(),
    prefix: text('prefix').notNull(),
    nextNumber: integer('next_number').notNull().default(1),
    padding: smallint('padding').notNull().default(5),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('document_sequences_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
    unique('document_sequences_business_kind_key').on(t.tenantId, t.businessId, t.kind),
  ],
);

export const PARTY_TYPES = ['customer', 'supplier', 'both'] as const;

export const parties = pgTable(
  'parties',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id').notNull(),
    type: text('type', { enum: PARTY_TYPES }).notNull(),
    name: text('name').notNull(),
    contactPerson: text('contact_person'),
    email: text('email'),
    phone: text('phone'),
    gstin: text('gstin'),
    pan: text('pan'),
    billingAddress: text('billing_address'),
    shippingAddress: text('shipping_address'),
    stateCode: text('state_code'),
    /** Positive: they owe us (receivable); negative: we owe them (payable). */
    openingBalance: money('opening_balance').notNull().default('0.00'),
    creditPeriodDays: integer('credit_period_days').notNull().default(0),
    creditLimit: money('credit_limit'),
    notes: text('notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('parties_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
    index('parties_business_name_idx').on(t.tenantId, t.businessId, t.name),
  ],
);

export const ITEM_TYPES = ['product', 'service'] as const;

export const items = pgTable(
  'items',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id').notNull(),
    type: text('type', { enum: ITEM_TYPES }).notNull(),
    name: text('name').notNull(),
    description: text('description'),
    sku: text('sku'),
    hsnCode: text('hsn_code'),
    unit: text('unit').notNull().default('pcs'),
    salePrice: money('sale_price').notNull().default('0.00'),
    purchasePrice: money('purchase_price').notNull().default('0.00'),
    taxRate: rate('tax_rate').notNull().default('0.00'),
    taxInclusive: boolean('tax_inclusive').notNull().default(false),
    trackStock: boolean('track_stock').notNull().default(true),
    stockQuantity: quantity('stock_quantity').notNull().default('0.000'),
    lowStockAlert: quantity('low_stock_alert'),
    deletedAt: instant('deleted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('items_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
    index('items_business_name_idx').on(t.tenantId, t.businessId, t.name),
  ],
);

export const itemVariants = pgTable(
  'item_variants',
  {
    tenantId: tenantId(),
    id: idColumn(),
    itemId: uuid('item_id').notNull(),
    name: text('name').notNull(),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    sku: text('sku'),
    salePrice: money('sale_price'),
    purchasePrice: money('purchase_price'),
    stockQuantity: quantity('stock_quantity').notNull().default('0.000'),
    deletedAt: instant('deleted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('item_variants_item_fk', { tenantId: t.tenantId, col: t.itemId }, items),
  ],
);

export const BANK_ACCOUNT_TYPES = ['cash', 'savings', 'current', 'upi', 'credit_card'] as const;

export const bankAccounts = pgTable(
  'bank_accounts',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id').notNull(),
    type: text('type', { enum: BANK_ACCOUNT_TYPES }).notNull(),
    name: text('name').notNull(),
    bankName: text('bank_name'),
    accountNumber: text('account_number'),
    ifsc: text('ifsc'),
    upiId: text('upi_id'),
    openingBalance: money('opening_balance').notNull().default('0.00'),
    openingDate: businessDate('opening_date'),
    isDefault: boolean('is_default').notNull().default(false),
    archivedAt: instant('archived_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('bank_accounts_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
  ],
);

export const expenseCategories = pgTable(
  'expense_categories',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id').notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('expense_categories_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
    unique('expense_categories_business_name_key').on(t.tenantId, t.businessId, t.name),
  ],
);

export const RECURRING_FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
export const RECURRING_STATUSES = ['active', 'paused', 'ended'] as const;

/** A recurring template's line, stored in the template's `line_items` jsonb column. */
export interface TemplateLine {
  itemId?: string | null;
  variantId?: string | null;
  description: string;
  quantity: string;
  unitPrice: string;
  discountPercent?: string;
  taxRate?: string;
  taxInclusive?: boolean;
}

export const recurringInvoiceTemplates = pgTable(
  'recurring_invoice_templates',
  {
    tenantId: tenantId(),
    id: idColumn(),
    businessId: uuid('business_id').notNull(),
    partyId: uuid('party_id').notNull(),
    name: text('name').notNull(),
    docType: text('doc_type', { enum: DOCUMENT_TYPES }).notNull().default('invoice'),
    frequency: text('frequency', { enum: RECURRING_FREQUENCIES }).notNull(),
    intervalCount: integer('interval_count').notNull().default(1),
    startDate: businessDate('start_date').notNull(),
    endDate: businessDate('end_date'),
    nextRunDate: businessDate('next_run_date').notNull(),
    status: text('status', { enum: RECURRING_STATUSES }).notNull().default('active'),
    dueInDays: integer('due_in_days').notNull().default(0),
    lineItems: jsonb('line_items').$type<TemplateLine[]>().notNull(),
    notes: text('notes'),
    lastRunAt: instant('last_run_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    ref('recurring_invoice_templates_business_fk', { tenantId: t.tenantId, col: t.businessId }, businesses),
    ref('recurring_invoice_templates_party_fk', { tenantId: t.tenantId, col: t.partyId }, parties),
    index('recurring_invoice_templates_due_idx').on(t.status, t.nextRunDate),
  ],
);

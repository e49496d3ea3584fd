import {
  BANK_ACCOUNT_TYPES,
  DIRECTIONS,
  DOCUMENT_TYPES,
  INVOICE_STATUSES,
  ITEM_TYPES,
  PARTY_TYPES,
  PAYMENT_DIRECTIONS,
  PAYMENT_MODES,
  RECURRING_FREQUENCIES,
  SEQUENCE_KINDS,
  TEMPLATE_DATE_RANGE,
} from '@hisaabo/db';
import { z } from 'zod';
import { dec } from './money.ts';

// Input schemas shared by the API and the domain. Money, quantities and rates are decimal strings
// with the column's scale (a JSON number is accepted and turned into its exact decimal text), so a
// value never passes through a float on its way to the database.

const decimalPattern = (scale: number) => new RegExp(`^-?\\d{1,13}(\\.\\d{1,${scale}})?$`);
/** True when `v` is a decimal text any later check can read (refinements keep running after a failure). */
const isDecimal = (v: string) => decimalPattern(3).test(v);

const decimalString = (scale: number, label: string) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
    .refine((v) => decimalPattern(scale).test(v), {
      message: `${label} must be a decimal number with at most ${scale} decimals, like "118.00"`,
      abort: true,
    });

export const moneySchema = decimalString(2, 'amount');
export const positiveMoneySchema = moneySchema.refine((v) => !isDecimal(v) || dec(v).greaterThan(0), {
  message: 'amount must be greater than zero',
});
export const nonNegativeMoneySchema = moneySchema.refine((v) => !v.startsWith('-'), {
  message: 'amount cannot be negative',
});
export const quantitySchema = decimalString(3, 'quantity');
export const rateSchema = decimalString(2, 'rate').refine(
  (v) => !isDecimal(v) || (!dec(v).isNegative() && dec(v).lessThanOrEqualTo(100)),
  { message: 'rate must be between 0 and 100' },
);
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: 'not a calendar date',
      abort: true,
    },
  )
  // JavaScript knows a year 0 (1 BC); PostgreSQL's calendar starts at year 1.
  .refine((v) => !v.startsWith('0000'), { message: 'the year must be 0001 or later' });

/** A recurring template's date: within TEMPLATE_DATE_RANGE (docs/api.md says why). */
export const templateDateSchema = dateSchema.refine(
  (v) => v >= TEMPLATE_DATE_RANGE.min && v <= TEMPLATE_DATE_RANGE.max,
  {
    message: `a recurring template's dates must be between ${TEMPLATE_DATE_RANGE.min} and ${TEMPLATE_DATE_RANGE.max}`,
  },
);
export const idSchema = z.uuid();

const optionalText = z.string().trim().max(500).nullish();

export const businessInput = z.object({
  name: z.string().trim().min(1).max(200),
  legalName: optionalText,
  gstin: z.string().trim().max(15).nullish(),
  pan: z.string().trim().max(10).nullish(),
  email: z.string().trim().max(200).nullish(),
  phone: z.string().trim().max(30).nullish(),
  addressLine1: optionalText,
  addressLine2: optionalText,
  city: optionalText,
  state: optionalText,
  stateCode: z.string().trim().max(3).nullish(),
  postalCode: z.string().trim().max(12).nullish(),
  country: z.string().trim().length(2).optional(),
  currency: z.string().trim().length(3).optional(),
  financialYearStartMonth: z.number().int().min(1).max(12).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});
export type BusinessInput = z.infer<typeof businessInput>;

export const sequenceUpdateInput = z.object({
  kind: z.enum(SEQUENCE_KINDS),
  nextNumber: z.number().int().min(1).max(2_000_000_000).optional(),
  prefix: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9/_-]+$/)
    .optional(),
});

export const partyInput = z.object({
  type: z.enum(PARTY_TYPES),
  name: z.string().trim().min(1).max(200),
  contactPerson: optionalText,
  email: z.string().trim().max(200).nullish(),
  phone: z.string().trim().max(30).nullish(),
  gstin: z.string().trim().max(15).nullish(),
  pan: z.string().trim().max(10).nullish(),
  billingAddress: optionalText,
  shippingAddress: optionalText,
  stateCode: z.string().trim().max(3).nullish(),
  openingBalance: moneySchema.optional(),
  creditPeriodDays: z.number().int().min(0).max(3650).optional(),
  creditLimit: nonNegativeMoneySchema.nullish(),
  notes: z.string().max(5000).nullish(),
});
export type PartyInput = z.infer<typeof partyInput>;

export const partyListInput = z
  .object({
    search: z.string().trim().max(200).optional(),
    type: z.enum(PARTY_TYPES).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).default(0),
  })
  .prefault({});

export const variantInput = z.object({
  name: z.string().trim().min(1).max(200),
  attributes: z.record(z.string(), z.string()).optional(),
  sku: z.string().trim().max(100).nullish(),
  salePrice: nonNegativeMoneySchema.nullish(),
  purchasePrice: nonNegativeMoneySchema.nullish(),
});
export type VariantInput = z.infer<typeof variantInput>;

export const itemInput = z.object({
  type: z.enum(ITEM_TYPES),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).nullish(),
  sku: z.string().trim().max(100).nullish(),
  hsnCode: z.string().trim().max(20).nullish(),
  unit: z.string().trim().min(1).max(20).optional(),
  salePrice: nonNegativeMoneySchema.optional(),
  purchasePrice: nonNegativeMoneySchema.optional(),
  taxRate: rateSchema.optional(),
  taxInclusive: z.boolean().optional(),
  trackStock: z.boolean().optional(),
  lowStockAlert: quantitySchema.nullish(),
  variants: z.array(variantInput).max(100).optional(),
});
export type ItemInput = z.infer<typeof itemInput>;

export const stockAdjustmentInput = z.object({
  itemId: idSchema,
  variantId: idSchema.nullish(),
  quantityChange: quantitySchema.refine((v) => /[1-9]/.test(v), {
    message: 'quantity change cannot be zero',
  }),
  reason: z.string().trim().min(1).max(200),
  adjustmentDate: dateSchema,
  notes: z.string().max(5000).nullish(),
});
export type StockAdjustmentInput = z.infer<typeof stockAdjustmentInput>;

export const lineInput = z.object({
  itemId: idSchema.nullish(),
  variantId: idSchema.nullish(),
  description: z.string().trim().min(1).max(1000),
  hsnCode: z.string().trim().max(20).nullish(),
  unit: z.string().trim().max(20).nullish(),
  quantity: quantitySchema.refine((v) => !v.startsWith('-') && /[1-9]/.test(v), {
    message: 'quantity must be greater than zero',
  }),
  unitPrice: nonNegativeMoneySchema,
  discountPercent: rateSchema.optional(),
  taxRate: rateSchema.optional(),
  taxInclusive: z.boolean().optional(),
});
export type LineItemInput = z.infer<typeof lineInput>;

export const invoiceDiscountInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('amount'), value: nonNegativeMoneySchema }),
  z.object({ type: z.literal('percent'), value: rateSchema }),
]);

export const invoiceInput = z.object({
  docType: z.enum(DOCUMENT_TYPES),
  direction: z.enum(DIRECTIONS),
  partyId: idSchema.nullish(),
  status: z.enum(['draft', 'unpaid', 'sent', 'accepted', 'declined']).optional(),
  invoiceDate: dateSchema,
  dueDate: dateSchema.nullish(),
  referenceInvoiceId: idSchema.nullish(),
  placeOfSupply: z.string().trim().max(3).nullish(),
  billingAddress: optionalText,
  shippingAddress: optionalText,
  discount: invoiceDiscountInput.nullish(),
  roundToRupee: z.boolean().optional(),
  notes: z.string().max(5000).nullish(),
  terms: z.string().max(5000).nullish(),
  lines: z.array(lineInput).min(1).max(500),
});
export type InvoiceInput = z.infer<typeof invoiceInput>;

export const invoiceListInput = z
  .object({
    docType: z.enum(DOCUMENT_TYPES).optional(),
    direction: z.enum(DIRECTIONS).optional(),
    status: z.enum(INVOICE_STATUSES).optional(),
    partyId: idSchema.optional(),
    from: dateSchema.optional(),
    to: dateSchema.optional(),
    includeDeleted: z.boolean().optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).default(0),
  })
  .prefault({});

export const allocationInput = z.object({ invoiceId: idSchema, amount: positiveMoneySchema });

export const paymentInput = z.object({
  direction: z.enum(PAYMENT_DIRECTIONS),
  partyId: idSchema.nullish(),
  mode: z.enum(PAYMENT_MODES),
  amount: positiveMoneySchema,
  paymentDate: dateSchema,
  bankAccountId: idSchema.nullish(),
  reference: optionalText,
  notes: z.string().max(5000).nullish(),
  allocations: z.array(allocationInput).max(500).default([]),
});
export type PaymentInput = z.infer<typeof paymentInput>;

export const expenseCategoryInput = z.object({ name: z.string().trim().min(1).max(100) });

export const expenseInput = z.object({
  categoryId: idSchema.nullish(),
  partyId: idSchema.nullish(),
  expenseDate: dateSchema,
  amount: positiveMoneySchema,
  taxAmount: nonNegativeMoneySchema.optional(),
  paid: z.boolean().default(true),
  mode: z.enum(PAYMENT_MODES).nullish(),
  bankAccountId: idSchema.nullish(),
  reference: optionalText,
  notes: z.string().max(5000).nullish(),
});
export type ExpenseInput = z.infer<typeof expenseInput>;

export const bankAccountInput = z.object({
  type: z.enum(BANK_ACCOUNT_TYPES),
  name: z.string().trim().min(1).max(200),
  bankName: optionalText,
  accountNumber: z.string().trim().max(40).nullish(),
  ifsc: z.string().trim().max(11).nullish(),
  upiId: z.string().trim().max(100).nullish(),
  openingBalance: moneySchema.optional(),
  openingDate: dateSchema.nullish(),
  isDefault: z.boolean().optional(),
});
export type BankAccountInput = z.infer<typeof bankAccountInput>;

export const transferInput = z.object({
  fromAccountId: idSchema,
  toAccountId: idSchema,
  amount: positiveMoneySchema,
  transferDate: dateSchema,
  description: optionalText,
});
export type TransferInput = z.infer<typeof transferInput>;

export const templateLineInput = lineInput;

export const recurringTemplateInput = z.object({
  partyId: idSchema,
  name: z.string().trim().min(1).max(200),
  docType: z.enum(DOCUMENT_TYPES).optional(),
  frequency: z.enum(RECURRING_FREQUENCIES),
  intervalCount: z.number().int().min(1).max(365).optional(),
  startDate: templateDateSchema,
  endDate: templateDateSchema.nullish(),
  dueInDays: z.number().int().min(0).max(3650).optional(),
  lineItems: z.array(templateLineInput).min(1).max(200),
  notes: z.string().max(5000).nullish(),
});
export type RecurringTemplateInput = z.infer<typeof recurringTemplateInput>;

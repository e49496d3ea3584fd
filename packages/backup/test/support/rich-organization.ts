import {
  type Database,
  DOCUMENT_TYPES,
  auditLog,
  bankAccounts,
  bankTransactions,
  businesses,
  documentSequences,
  expenseCategories,
  expenses,
  invoiceItems,
  invoices,
  itemVariants,
  items,
  parties,
  paymentAllocations,
  payments,
  recurringInvoiceRuns,
  recurringInvoiceTemplates,
  stockAdjustments,
  tenants,
} from '@hisaabo/db';

/** A fixed, readable uuid: the same ids in every run, so archives can be compared byte for byte. */
export const uid = (n: number, prefix = '0193a000'): string =>
  `${prefix}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

let tenantCounter = 0;

/** A new, empty organization. */
export async function createTenant(database: Database, slug?: string): Promise<{ id: string; slug: string }> {
  tenantCounter += 1;
  const id = uid(tenantCounter + Math.floor(Math.random() * 1e9), '0193ffff');
  const s = slug ?? `org-${id.slice(-12)}`;
  await database.db.insert(tenants).values({ id, name: `Organization ${s}`, slug: s });
  return { id, slug: s };
}

/** A 1×1 PNG, as a business logo. */
export const LOGO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * An organization with a row in every table: two businesses (one with a logo and a redacted
 * credential), every document type, a credit note whose id sorts before the invoice it corrects,
 * a transfer pair (mutual self-references), JSON columns, unicode and emoji, microsecond instants
 * and the largest decimals the columns hold.
 */
export async function seedRichOrganization(database: Database, tenantId: string): Promise<void> {
  const db = database.db;
  const t = tenantId;
  const [b1, b2] = [uid(0x100), uid(0x101)];
  await db.insert(businesses).values([
    {
      tenantId: t,
      id: b1,
      name: 'Chai ☕ & Sons — मुंबई 🚀',
      legalName: 'Chai "Quoted" \\ Backslash Pvt. Ltd.\nSecond line\ttab',
      gstin: '27AAPFU0939F1ZV',
      pan: 'AAPFU0939F',
      email: 'owner@chai.example',
      phone: '+91 98765 43210',
      addressLine1: '1 Marine Drive',
      city: 'Mumbai',
      state: 'Maharashtra',
      stateCode: '27',
      postalCode: '400001',
      settings: {
        invoicePrefix: 'INV-',
        theme: { dark: true, accent: '#ff9900' },
        emoji: '🧾',
        list: [1, 2.5, null],
      },
      logo: LOGO,
      logoMimeType: 'image/png',
      einvoiceUsername: 'chai_api',
      einvoicePassword: 'super-secret-password',
      createdAt: '2024-04-01T00:00:00.000001Z',
      updatedAt: '2026-11-25T12:34:56.654321Z',
    },
    {
      tenantId: t,
      id: b2,
      name: 'Second business',
      country: 'AE',
      currency: 'AED',
      financialYearStartMonth: 1,
      createdAt: '1999-12-31T23:59:59.999999Z',
      updatedAt: '2000-01-01T00:00:00.000000Z',
    },
  ]);
  await db.insert(documentSequences).values([
    {
      tenantId: t,
      id: uid(0x200),
      businessId: b1,
      kind: 'invoice',
      prefix: 'INV-',
      nextNumber: 42,
      padding: 4,
    },
    {
      tenantId: t,
      id: uid(0x201),
      businessId: b1,
      kind: 'payment_in',
      prefix: 'PAY-',
      nextNumber: 2147483647,
    },
  ]);
  const [customer, supplier] = [uid(0x300), uid(0x301)];
  await db.insert(parties).values([
    {
      tenantId: t,
      id: customer,
      businessId: b1,
      type: 'customer',
      name: 'Ünïcødé Customer 👩‍💼',
      contactPerson: 'Zoë',
      gstin: '29ABCDE1234F1Z5',
      billingAddress: 'Line 1\nLine 2',
      openingBalance: '9999999999999.99',
      creditPeriodDays: 30,
      creditLimit: '-9999999999999.99',
      notes: 'Looks like a timestamp: 2026-01-01T00:00:00Z',
    },
    {
      tenantId: t,
      id: supplier,
      businessId: b1,
      type: 'supplier',
      name: '供应商 Supplier',
      openingBalance: '-0.01',
    },
  ]);
  const [item1, item2] = [uid(0x400), uid(0x401)];
  await db.insert(items).values([
    {
      tenantId: t,
      id: item1,
      businessId: b1,
      type: 'product',
      name: 'Masala chai 250 g',
      sku: 'CHAI-250',
      hsnCode: '0902',
      unit: 'pkt',
      salePrice: '118.00',
      purchasePrice: '0.01',
      taxRate: '999.99',
      taxInclusive: true,
      stockQuantity: '999999999999.999',
      lowStockAlert: '-0.001',
    },
    {
      tenantId: t,
      id: item2,
      businessId: b1,
      type: 'service',
      name: 'Delivery',
      trackStock: false,
      deletedAt: '2026-02-03T04:05:06.000007Z',
    },
  ]);
  const variant = uid(0x500);
  await db.insert(itemVariants).values({
    tenantId: t,
    id: variant,
    itemId: item1,
    name: 'Ginger',
    attributes: { flavour: 'ginger', size: '250 g', ключ: 'значение' },
    sku: 'CHAI-250-G',
    salePrice: '120.50',
    stockQuantity: '12.345',
  });
  const [cash, bank] = [uid(0x600), uid(0x601)];
  await db.insert(bankAccounts).values([
    { tenantId: t, id: cash, businessId: b1, type: 'cash', name: 'Cash', isDefault: true },
    {
      tenantId: t,
      id: bank,
      businessId: b1,
      type: 'current',
      name: 'HDFC current',
      bankName: 'HDFC',
      accountNumber: '000123456789',
      ifsc: 'HDFC0000001',
      upiId: 'chai@hdfc',
      openingBalance: '100000.00',
      openingDate: '2024-04-01',
      archivedAt: '2026-06-30T18:30:00.500000Z',
    },
  ]);
  const category = uid(0x700);
  await db.insert(expenseCategories).values({ tenantId: t, id: category, businessId: b1, name: 'Rent 🏠' });
  const template = uid(0x800);
  await db.insert(recurringInvoiceTemplates).values({
    tenantId: t,
    id: template,
    businessId: b1,
    partyId: customer,
    name: 'Monthly chai supply',
    frequency: 'monthly',
    startDate: '2026-01-01',
    endDate: '2027-12-31',
    nextRunDate: '2026-12-01',
    status: 'active',
    dueInDays: 15,
    lineItems: [
      { itemId: item1, variantId: variant, description: 'Chai', quantity: '10.000', unitPrice: '118.00' },
    ],
    lastRunAt: '2026-11-01T00:00:00.000001Z',
  });
  // One document of every type; the credit note's id sorts before the invoice it corrects, so a
  // one-pass load in id order would break its reference.
  const invoiceId = uid(0x9ff);
  const creditNoteId = uid(0x900);
  const documents = DOCUMENT_TYPES.map((docType, i) => ({
    tenantId: t,
    id: docType === 'invoice' ? invoiceId : docType === 'credit_note' ? creditNoteId : uid(0x901 + i),
    businessId: b1,
    partyId: docType === 'purchase_return' ? supplier : customer,
    docType,
    direction:
      docType === 'purchase_return' || docType === 'debit_note' ? ('purchase' as const) : ('sale' as const),
    number: `${docType.toUpperCase()}-0001`,
    status: docType === 'invoice' ? ('partial' as const) : ('draft' as const),
    invoiceDate: '2026-11-24',
    dueDate: docType === 'invoice' ? '2026-12-24' : null,
    referenceInvoiceId: docType === 'credit_note' || docType === 'sales_return' ? invoiceId : null,
    recurringTemplateId: docType === 'invoice' ? template : null,
    placeOfSupply: '27',
    subtotal: '9999999999999.99',
    discountAmount: '0.01',
    taxAmount: '1234567890123.45',
    roundOff: '-0.49',
    total: '-9999999999999.99',
    amountPaid: '100.00',
    notes: docType === 'invoice' ? 'Thank you 🙏 धन्यवाद' : null,
    irn: docType === 'invoice' ? 'f'.repeat(64) : null,
    terms: docType === 'quotation' ? 'Valid for 7 days' : null,
    cancelledAt: docType === 'proforma' ? '2026-11-24T10:00:00.100000Z' : null,
    deletedAt: docType === 'delivery_challan' ? '2026-11-24T10:00:00.000001Z' : null,
    createdAt: '2026-11-24T09:00:00.123456Z',
    updatedAt: '2026-11-24T09:00:00.123457Z',
  }));
  await db.insert(invoices).values(documents);
  await db.insert(invoiceItems).values([
    {
      tenantId: t,
      id: uid(0xa00),
      invoiceId,
      position: 1,
      itemId: item1,
      variantId: variant,
      description: 'Masala chai — ginger',
      hsnCode: '0902',
      unit: 'pkt',
      quantity: '999999999999.999',
      unitPrice: '118.00',
      discountPercent: '12.50',
      taxRate: '5.00',
      taxInclusive: true,
      taxableAmount: '100.00',
      taxAmount: '5.00',
      total: '105.00',
    },
    {
      tenantId: t,
      id: uid(0xa01),
      invoiceId: creditNoteId,
      position: 1,
      description: 'Return of damaged packs',
      quantity: '-1.000',
      unitPrice: '118.00',
      taxableAmount: '-118.00',
      taxAmount: '0.00',
      total: '-118.00',
    },
  ]);
  const payment = uid(0xb00);
  await db.insert(payments).values({
    tenantId: t,
    id: payment,
    businessId: b1,
    partyId: customer,
    direction: 'in',
    number: 'PAY-0001',
    mode: 'upi',
    amount: '100.00',
    paymentDate: '2026-11-25',
    bankAccountId: bank,
    reference: 'UPI/1234567890',
  });
  await db.insert(paymentAllocations).values({
    tenantId: t,
    id: uid(0xc00),
    paymentId: payment,
    invoiceId,
    amount: '100.00',
    createdAt: '2026-11-25T08:00:00.000009Z',
  });
  const expense = uid(0xd00);
  await db.insert(expenses).values({
    tenantId: t,
    id: expense,
    businessId: b1,
    categoryId: category,
    partyId: supplier,
    expenseDate: '2026-11-01',
    amount: '25000.00',
    taxAmount: '4500.00',
    paid: false,
    mode: 'bank_transfer',
    bankAccountId: bank,
    notes: 'November rent',
  });
  // A transfer: each half points at the other.
  const [out, inn] = [uid(0xe02), uid(0xe01)];
  await db.insert(bankTransactions).values([
    {
      tenantId: t,
      id: uid(0xe00),
      bankAccountId: bank,
      type: 'deposit',
      amount: '100.00',
      transactionDate: '2026-11-25',
      paymentId: payment,
    },
    {
      tenantId: t,
      id: uid(0xe03),
      bankAccountId: bank,
      type: 'withdrawal',
      amount: '25000.00',
      transactionDate: '2026-11-01',
      expenseId: expense,
    },
    {
      tenantId: t,
      id: out,
      bankAccountId: bank,
      type: 'transfer_out',
      amount: '500.00',
      transactionDate: '2026-11-20',
      description: 'To cash',
    },
    {
      tenantId: t,
      id: inn,
      bankAccountId: cash,
      type: 'transfer_in',
      amount: '500.00',
      transactionDate: '2026-11-20',
      description: 'From bank',
    },
  ]);
  await database.db.execute(
    // Raw SQL: the pair exists only once both rows do. (A searched CASE: Citus mis-plans the simple
    // form `CASE id WHEN $1` sent to a worker as uuid = boolean.)
    (await import('drizzle-orm'))
      .sql`UPDATE bank_transactions SET transfer_pair_id = CASE WHEN id = ${out}::uuid THEN ${inn}::uuid ELSE ${out}::uuid END
      WHERE tenant_id = ${t} AND id IN (${out}::uuid, ${inn}::uuid)`,
  );
  await db.insert(stockAdjustments).values({
    tenantId: t,
    id: uid(0xf00),
    itemId: item1,
    variantId: variant,
    quantityChange: '-2.500',
    reason: 'damaged',
    adjustmentDate: '2026-11-02',
    notes: 'Spilled 💧',
  });
  await db.insert(recurringInvoiceRuns).values([
    {
      tenantId: t,
      id: uid(0x1000),
      templateId: template,
      runDate: '2026-11-01',
      invoiceId,
      status: 'succeeded',
    },
    {
      tenantId: t,
      id: uid(0x1001),
      templateId: template,
      runDate: '2026-10-01',
      status: 'failed',
      error: 'party has no email',
    },
  ]);
  await db.insert(auditLog).values({
    tenantId: t,
    id: uid(0x1100),
    businessId: b1,
    userId: uid(0x1),
    action: 'invoice.create',
    entityType: 'invoice',
    entityId: invoiceId,
    details: { before: null, after: { total: '-9999999999999.99', note: 'a "quote" \\ and 🎉' }, n: 1e-7 },
    createdAt: '2026-11-24T09:00:00.000001Z',
  });
}

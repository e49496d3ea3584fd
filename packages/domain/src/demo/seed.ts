import type { CopyValue, Database, DocumentType } from '@hisaabo/db';
import { isPayable, stockSign } from '../ledger.ts';
import { type Decimal, dec, toMoney } from '../money.ts';
import { addDays, nextOccurrence } from '../dates.ts';
import { DEFAULT_PREFIXES, formatNumber, type SequenceKind, sequenceKindFor } from '../numbering.ts';
import { computeInvoiceTotals, computeLine, type LineTotals } from '../totals.ts';
import { withBulkWriter } from './bulk-writer.ts';
import {
  BANKS,
  BUSINESS_PROFILES,
  COMPANY_WORDS,
  EXPENSE_CATEGORIES,
  FIRST_NAMES,
  ITEMS,
  LAST_NAMES,
  STATE_CODES,
} from './catalog.ts';
import { createIdFactory, createRng } from './prng.ts';

export interface SeedProgress {
  phase: 'setup' | 'documents' | 'finish';
  invoices: number;
  total: number;
}

export interface SeedOptions {
  tenantId: string;
  /** Rows in `invoices` (every document type together). Default 1,000. */
  invoices?: number;
  /** Same seed, same organization: ids, names, amounts, dates. Default "hisaabo". */
  seed?: string | number;
  /** The last business date of the generated history (two years long). Default 2026-10-31. */
  endDate?: string;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedResult {
  businessIds: string[];
  rows: Record<string, number>;
  durationMs: number;
}

/** Documents are flushed to the database in batches of this many. */
const BATCH = 2500;
const HISTORY_DAYS = 730;

type Row = CopyValue[];

const COLUMNS = {
  businesses: [
    'tenant_id',
    'id',
    'name',
    'legal_name',
    'gstin',
    'pan',
    'email',
    'phone',
    'address_line1',
    'city',
    'state',
    'state_code',
    'postal_code',
    'settings',
    'created_at',
    'updated_at',
  ],
  document_sequences: [
    'tenant_id',
    'id',
    'business_id',
    'kind',
    'prefix',
    'next_number',
    'padding',
    'created_at',
    'updated_at',
  ],
  parties: [
    'tenant_id',
    'id',
    'business_id',
    'type',
    'name',
    'contact_person',
    'email',
    'phone',
    'gstin',
    'billing_address',
    'state_code',
    'opening_balance',
    'credit_period_days',
    'created_at',
    'updated_at',
  ],
  items: [
    'tenant_id',
    'id',
    'business_id',
    'type',
    'name',
    'sku',
    'hsn_code',
    'unit',
    'sale_price',
    'purchase_price',
    'tax_rate',
    'tax_inclusive',
    'track_stock',
    'stock_quantity',
    'low_stock_alert',
    'created_at',
    'updated_at',
  ],
  item_variants: [
    'tenant_id',
    'id',
    'item_id',
    'name',
    'attributes',
    'sku',
    'sale_price',
    'purchase_price',
    'stock_quantity',
    'created_at',
    'updated_at',
  ],
  bank_accounts: [
    'tenant_id',
    'id',
    'business_id',
    'type',
    'name',
    'bank_name',
    'account_number',
    'ifsc',
    'opening_balance',
    'opening_date',
    'is_default',
    'created_at',
    'updated_at',
  ],
  expense_categories: ['tenant_id', 'id', 'business_id', 'name', 'created_at', 'updated_at'],
  recurring_invoice_templates: [
    'tenant_id',
    'id',
    'business_id',
    'party_id',
    'name',
    'doc_type',
    'frequency',
    'interval_count',
    'start_date',
    'next_run_date',
    'status',
    'due_in_days',
    'line_items',
    'notes',
    'created_at',
    'updated_at',
  ],
  invoices: [
    'tenant_id',
    'id',
    'business_id',
    'party_id',
    'doc_type',
    'direction',
    'number',
    'status',
    'invoice_date',
    'due_date',
    'reference_invoice_id',
    'recurring_template_id',
    'place_of_supply',
    'subtotal',
    'discount_amount',
    'tax_amount',
    'round_off',
    'total',
    'amount_paid',
    'notes',
    'cancelled_at',
    'deleted_at',
    'created_at',
    'updated_at',
  ],
  invoice_items: [
    'tenant_id',
    'id',
    'invoice_id',
    'position',
    'item_id',
    'variant_id',
    'description',
    'hsn_code',
    'unit',
    'quantity',
    'unit_price',
    'discount_percent',
    'tax_rate',
    'tax_inclusive',
    'taxable_amount',
    'tax_amount',
    'total',
  ],
  payments: [
    'tenant_id',
    'id',
    'business_id',
    'party_id',
    'direction',
    'number',
    'mode',
    'amount',
    'payment_date',
    'bank_account_id',
    'reference',
    'created_at',
    'updated_at',
  ],
  payment_allocations: ['tenant_id', 'id', 'payment_id', 'invoice_id', 'amount', 'created_at'],
  expenses: [
    'tenant_id',
    'id',
    'business_id',
    'category_id',
    'party_id',
    'expense_date',
    'amount',
    'tax_amount',
    'paid',
    'mode',
    'bank_account_id',
    'notes',
    'created_at',
    'updated_at',
  ],
  bank_transactions: [
    'tenant_id',
    'id',
    'bank_account_id',
    'type',
    'amount',
    'transaction_date',
    'description',
    'payment_id',
    'expense_id',
    'transfer_pair_id',
    'created_at',
  ],
  stock_adjustments: [
    'tenant_id',
    'id',
    'item_id',
    'variant_id',
    'quantity_change',
    'reason',
    'adjustment_date',
    'notes',
    'created_at',
  ],
  recurring_invoice_runs: [
    'tenant_id',
    'id',
    'template_id',
    'run_date',
    'invoice_id',
    'status',
    'created_at',
  ],
  audit_log: [
    'tenant_id',
    'id',
    'business_id',
    'user_id',
    'action',
    'entity_type',
    'entity_id',
    'details',
    'created_at',
  ],
} as const;

type TableName = keyof typeof COLUMNS;
/** FK-safe flush order within a batch. */
const FLUSH_ORDER: readonly TableName[] = [
  'invoices',
  'invoice_items',
  'payments',
  'payment_allocations',
  'expenses',
  'bank_transactions',
  'stock_adjustments',
  'recurring_invoice_runs',
  'audit_log',
];

interface SeedItem {
  id: string;
  name: string;
  type: 'product' | 'service';
  unit: string;
  hsn: string;
  salePrice: string;
  purchasePrice: string;
  taxRate: string;
  taxInclusive: boolean;
  variants: { id: string; name: string; salePrice: string; purchasePrice: string }[];
}

interface PlannedLine {
  itemId: string | null;
  variantId: string | null;
  description: string;
  hsn: string;
  unit: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  taxRate: string;
  taxInclusive: boolean;
}

interface PastDoc {
  id: string;
  partyId: string;
  lines: PlannedLine[];
}

interface Party {
  id: string;
  type: 'customer' | 'supplier';
}

interface Due {
  invoiceId: string;
  amount: string;
  date: string;
}

/**
 * Builds a realistic organization in one transaction with bulk COPY: businesses, parties, items with
 * variants, every document type (corrections reference what they correct), payments with partial and
 * multi-invoice allocations, expenses, accounts and transfers, stock adjustments, recurring templates
 * with their runs, and an audit trail. Every rule of the domain holds on the result (see
 * `checkConsistency`). Ids are UUIDv7-shaped and derived from the seed, so the same seed gives the
 * same rows; only the organization row itself is not made here.
 */
export async function seedDemoOrganization(database: Database, options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  const total = Math.max(1, Math.floor(options.invoices ?? 1000));
  const seed = options.seed ?? 'hisaabo';
  const endDate = options.endDate ?? '2026-10-31';
  const startDate = addDays(endDate, -HISTORY_DAYS);
  const rng = createRng(`${seed}`);
  const newId = createIdFactory(createRng(`${seed}:ids`), Date.parse(`${startDate}T00:00:00Z`));
  const tenantId = options.tenantId;
  const counts: Record<string, number> = {};
  const progress = (phase: SeedProgress['phase'], invoices: number) =>
    options.onProgress?.({ phase, invoices, total });

  const lineCache = new Map<string, LineTotals>();
  const priceLine = (l: PlannedLine): LineTotals => {
    const key = `${l.quantity}|${l.unitPrice}|${l.discountPercent}|${l.taxRate}|${l.taxInclusive}`;
    let totals = lineCache.get(key);
    if (!totals) {
      totals = computeLine(l);
      lineCache.set(key, totals);
    }
    return totals;
  };

  return withBulkWriter(database, async (writer) => {
    const existing = await writer.exec('SELECT id FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
    if (!existing.rows.length) throw new Error(`organization ${tenantId} does not exist`);
    const used = await writer.exec('SELECT count(*)::int AS n FROM businesses WHERE tenant_id = $1', [
      tenantId,
    ]);
    if (Number(used.rows[0]?.n) > 0) {
      throw new Error(
        `organization ${tenantId} already has businesses: demo data goes into an empty organization`,
      );
    }

    const pending = new Map<TableName, Row[]>();
    const push = (table: TableName, row: Row) => {
      const rows = pending.get(table);
      if (rows) rows.push(row);
      else pending.set(table, [row]);
    };
    const flush = async (tables: readonly TableName[]) => {
      for (const table of tables) {
        const rows = pending.get(table);
        if (!rows?.length) continue;
        await writer.copy(table, COLUMNS[table], rows);
        counts[table] = (counts[table] ?? 0) + rows.length;
        pending.set(table, []);
      }
    };
    const stamp = (date: string) =>
      `${date} ${String(rng.int(8, 19)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}.${String(rng.int(0, 999999)).padStart(6, '0')}+00`;
    const audit = (
      businessId: string,
      entityType: string,
      entityId: string,
      createdAt: string,
      details: Record<string, unknown>,
      action = 'create',
    ) =>
      push('audit_log', [
        tenantId,
        newId(),
        businessId,
        null,
        action,
        entityType,
        entityId,
        details,
        createdAt,
      ]);

    const businessCount = total >= 5000 ? 3 : 2;
    const shares = businessCount === 3 ? [0.55, 0.3, 0.15] : [0.65, 0.35];
    const perBusiness = shares.map((s) => Math.floor(total * s));
    perBusiness[0]! += total - perBusiness.reduce((a, b) => a + b, 0);
    const businessIds: string[] = [];

    progress('setup', 0);
    let done = 0;
    for (let b = 0; b < businessCount; b++) {
      const businessId = newId();
      businessIds.push(businessId);
      await seedBusiness(b, businessId, perBusiness[b]!);
    }

    async function seedBusiness(index: number, businessId: string, docCount: number) {
      const profile = BUSINESS_PROFILES[index]!;
      const created = stamp(startDate);
      await writer.copy('businesses', COLUMNS.businesses, [
        [
          tenantId,
          businessId,
          profile.name,
          profile.legalName,
          `${profile.gstinPrefix}${1000 + index}A1Z${index}`,
          `${profile.gstinPrefix.slice(2)}${1000 + index}A`,
          `accounts@${profile.name.toLowerCase().replace(/[^a-z]/g, '')}.example`,
          `+91 98${String(rng.int(10000000, 99999999))}`,
          `${rng.int(1, 200)}, Main Bazaar`,
          profile.city,
          profile.state,
          profile.stateCode,
          `${rng.int(110001, 799999)}`,
          { invoiceTerms: 'Payment due within the credit period.', showHsn: true },
          created,
          created,
        ],
      ]);
      counts.businesses = (counts.businesses ?? 0) + 1;
      audit(businessId, 'business', businessId, created, { name: profile.name });

      // Parties: customers and suppliers, some with opening balances.
      const partyCount = Math.max(12, Math.min(2000, Math.round(docCount / 150)));
      const customers: Party[] = [];
      const suppliers: Party[] = [];
      const partyRows: Row[] = [];
      for (let p = 0; p < partyCount; p++) {
        const type = p % 4 === 3 ? 'supplier' : 'customer';
        const person = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
        const name = rng.chance(0.6)
          ? `${rng.pick(LAST_NAMES)} ${rng.pick(COMPANY_WORDS)} ${p + 1}`
          : `${person} ${p + 1}`;
        const id = newId();
        const opening = rng.chance(0.2)
          ? toMoney(rng.int(100, 50000) * (type === 'customer' ? 1 : -1))
          : '0.00';
        const state = rng.pick(STATE_CODES);
        partyRows.push([
          tenantId,
          id,
          businessId,
          type,
          name,
          person,
          `${person.toLowerCase().replace(/ /g, '.')}${p}@example.in`,
          `+91 9${rng.int(100000000, 999999999)}`,
          rng.chance(0.5) ? `${state}ABCDE${String(1000 + p).slice(-4)}F1Z${p % 10}` : null,
          `${rng.int(1, 300)}, ${rng.pick(LAST_NAMES)} Nagar`,
          state,
          opening,
          rng.pick([0, 7, 15, 30, 45]),
          created,
          created,
        ]);
        (type === 'customer' ? customers : suppliers).push({ id, type });
        audit(businessId, 'party', id, created, { name });
      }
      await writer.copy('parties', COLUMNS.parties, partyRows);
      counts.parties = (counts.parties ?? 0) + partyRows.length;

      // Items and variants; stock starts at zero and is set from the movements at the end.
      const items: SeedItem[] = [];
      const itemRows: Row[] = [];
      const variantRows: Row[] = [];
      for (const [i, c] of ITEMS.entries()) {
        const id = newId();
        const salePrice = toMoney(c.price);
        const purchasePrice = toMoney(dec(c.price).times(0.72).toDecimalPlaces(2));
        const sku = `SKU-${index + 1}-${String(i + 1).padStart(3, '0')}`;
        const item: SeedItem = {
          id,
          name: c.name,
          type: c.type,
          unit: c.unit,
          hsn: c.hsn,
          salePrice,
          purchasePrice,
          taxRate: c.taxRate,
          taxInclusive: c.taxInclusive ?? false,
          variants: [],
        };
        itemRows.push([
          tenantId,
          id,
          businessId,
          c.type,
          c.name,
          sku,
          c.hsn,
          c.unit,
          salePrice,
          purchasePrice,
          c.taxRate,
          item.taxInclusive,
          c.type === 'product',
          '0.000',
          c.type === 'product' ? '10.000' : null,
          created,
          created,
        ]);
        for (const v of c.variants ?? []) {
          const vid = newId();
          const vSale = toMoney(dec(c.price).plus(v.priceDelta));
          const vPurchase = toMoney(dec(vSale).times(0.72).toDecimalPlaces(2));
          item.variants.push({ id: vid, name: v.name, salePrice: vSale, purchasePrice: vPurchase });
          variantRows.push([
            tenantId,
            vid,
            id,
            v.name,
            v.attributes,
            `${sku}-${v.name.toUpperCase()}`,
            vSale,
            vPurchase,
            '0.000',
            created,
            created,
          ]);
        }
        items.push(item);
        audit(businessId, 'item', id, created, { name: c.name, variants: item.variants.length });
      }
      await writer.copy('items', COLUMNS.items, itemRows);
      await writer.copy('item_variants', COLUMNS.item_variants, variantRows);
      counts.items = (counts.items ?? 0) + itemRows.length;
      counts.item_variants = (counts.item_variants ?? 0) + variantRows.length;
      const products = items.filter((i) => i.type === 'product');
      const itemStock = new Map<string, Decimal>();
      const variantStock = new Map<string, Decimal>();
      const moveStock = (itemId: string, variantId: string | null, quantity: Decimal) => {
        itemStock.set(itemId, (itemStock.get(itemId) ?? dec(0)).plus(quantity));
        if (variantId) variantStock.set(variantId, (variantStock.get(variantId) ?? dec(0)).plus(quantity));
      };
      const trackedIds = new Set(products.map((p) => p.id));

      // Accounts: the default Cash account and three bank accounts.
      const cashId = newId();
      const bankIds: string[] = [];
      const accountRows: Row[] = [
        [
          tenantId,
          cashId,
          businessId,
          'cash',
          'Cash',
          null,
          null,
          null,
          toMoney(rng.int(5000, 50000)),
          startDate,
          true,
          created,
          created,
        ],
      ];
      for (const bank of BANKS) {
        const id = newId();
        bankIds.push(id);
        accountRows.push([
          tenantId,
          id,
          businessId,
          bank.type,
          bank.name,
          bank.bankName,
          bank.type === 'upi' ? null : String(rng.int(10000000, 99999999)) + String(rng.int(1000, 9999)),
          bank.ifsc,
          toMoney(rng.int(10000, 500000)),
          startDate,
          false,
          created,
          created,
        ]);
      }
      await writer.copy('bank_accounts', COLUMNS.bank_accounts, accountRows);
      counts.bank_accounts = (counts.bank_accounts ?? 0) + accountRows.length;

      const categoryIds: string[] = [];
      const categoryRows: Row[] = EXPENSE_CATEGORIES.map((name) => {
        const id = newId();
        categoryIds.push(id);
        return [tenantId, id, businessId, name, created, created];
      });
      await writer.copy('expense_categories', COLUMNS.expense_categories, categoryRows);
      counts.expense_categories = (counts.expense_categories ?? 0) + categoryRows.length;

      // Opening stock for every product and variant.
      for (const p of products) {
        const targets = p.variants.length ? p.variants.map((v) => v.id) : [null];
        for (const variantId of targets) {
          const q = dec(rng.int(50, 400)).times(Math.max(1, Math.round(docCount / 2000)));
          push('stock_adjustments', [
            tenantId,
            newId(),
            p.id,
            variantId,
            q.toFixed(3),
            'Opening stock',
            startDate,
            null,
            created,
          ]);
          moveStock(p.id, variantId, q);
        }
      }

      // Recurring templates: monthly service contracts for a few customers.
      const templateCount = Math.min(5, Math.max(1, Math.floor(docCount / 200)));
      const services = items.filter((i) => i.type === 'service');
      interface Template {
        id: string;
        partyId: string;
        lines: PlannedLine[];
        runs: string[];
        nextRun: number;
        dueInDays: number;
        startDate: string;
      }
      const templates: Template[] = [];
      const templateRows: Row[] = [];
      for (let t = 0; t < templateCount; t++) {
        const service = services[t % services.length]!;
        const partyId = customers[t % customers.length]!.id;
        const tStart = addDays(endDate, -rng.int(60, 330));
        const lines: PlannedLine[] = [
          {
            itemId: service.id,
            variantId: null,
            description: service.name,
            hsn: service.hsn,
            unit: service.unit,
            quantity: '1.000',
            unitPrice: service.salePrice,
            discountPercent: '0.00',
            taxRate: service.taxRate,
            taxInclusive: false,
          },
        ];
        const runs: string[] = [];
        for (let d = tStart; d <= endDate; d = nextOccurrence(d, 'monthly', 1, tStart)) runs.push(d);
        const template: Template = {
          id: newId(),
          partyId,
          lines,
          runs,
          nextRun: 0,
          dueInDays: 15,
          startDate: tStart,
        };
        templates.push(template);
        templateRows.push([
          tenantId,
          template.id,
          businessId,
          partyId,
          `${service.name} contract ${t + 1}`,
          'invoice',
          'monthly',
          1,
          tStart,
          tStart,
          'active',
          15,
          lines.map((l) => ({
            itemId: l.itemId,
            variantId: null,
            description: l.description,
            quantity: l.quantity,
            unitPrice: l.unitPrice,
            taxRate: l.taxRate,
            taxInclusive: false,
          })),
          'Monthly service contract',
          created,
          created,
        ]);
        audit(businessId, 'recurring_invoice_template', template.id, created, { frequency: 'monthly' });
      }
      await writer.copy('recurring_invoice_templates', COLUMNS.recurring_invoice_templates, templateRows);
      counts.recurring_invoice_templates = (counts.recurring_invoice_templates ?? 0) + templateRows.length;
      await flush(['audit_log', 'stock_adjustments']);

      // Documents, in date order, so numbers rise with dates as they do in a real book.
      const sequence = new Map<SequenceKind, number>();
      const take = (kind: SequenceKind) => {
        const n = (sequence.get(kind) ?? 0) + 1;
        sequence.set(kind, n);
        return formatNumber(DEFAULT_PREFIXES[kind], n, 5);
      };
      const recentSales: PastDoc[] = [];
      const recentPurchases: PastDoc[] = [];
      const dues = new Map<string, Due[]>();
      const dueTargets = new Map<string, number>();

      const makeLines = (direction: 'sale' | 'purchase'): PlannedLine[] => {
        // 2 to 9 lines (5.5 on average), so with one-line contracts and short corrections a document has about 5.
        const count = rng.int(2, 9);
        const lines: PlannedLine[] = [];
        for (let l = 0; l < count; l++) {
          const item = direction === 'purchase' || rng.chance(0.85) ? rng.pick(products) : rng.pick(services);
          const variant = item.variants.length ? rng.pick(item.variants) : null;
          const unitPrice =
            direction === 'sale'
              ? (variant?.salePrice ?? item.salePrice)
              : (variant?.purchasePrice ?? item.purchasePrice);
          lines.push({
            itemId: item.id,
            variantId: variant?.id ?? null,
            description: variant ? `${item.name} (${variant.name})` : item.name,
            hsn: item.hsn,
            unit: item.unit,
            quantity: `${item.type === 'service' ? rng.int(1, 3) : rng.int(1, 20)}.000`,
            unitPrice,
            discountPercent: rng.pick(['0.00', '0.00', '0.00', '0.00', '2.50', '5.00', '10.00']),
            taxRate: item.taxRate,
            taxInclusive: item.taxInclusive,
          });
        }
        return lines;
      };
      const correctionLines = (source: PastDoc): PlannedLine[] => {
        const count = rng.int(1, Math.min(3, source.lines.length));
        return source.lines.slice(0, count).map((l) => ({
          ...l,
          quantity: `${rng.int(1, Math.max(1, Number.parseInt(l.quantity, 10)))}.000`,
        }));
      };

      const emitPayment = (partyId: string, direction: 'in' | 'out', list: Due[]) => {
        const paymentId = newId();
        const allocated = list.reduce((acc, d) => acc.plus(d.amount), dec(0));
        const advance = rng.chance(0.05) ? dec(rng.int(1, 20) * 100) : dec(0);
        const amount = toMoney(allocated.plus(advance));
        // ISO dates sort as text: paid some days after the last invoice, never after the history ends.
        const lastDue = list.map((d) => d.date).sort()[list.length - 1]!;
        const date = [addDays(lastDue, rng.int(0, 12)), endDate].sort()[0]!;
        const r = rng.next();
        const [mode, accountId] =
          r < 0.3
            ? ['cash', cashId]
            : r < 0.97
              ? [rng.pick(['bank_transfer', 'upi', 'cheque', 'card']), rng.pick(bankIds)]
              : ['other', null];
        const number = take(direction === 'in' ? 'payment_in' : 'payment_out');
        const at = stamp(date);
        push('payments', [
          tenantId,
          paymentId,
          businessId,
          partyId,
          direction,
          number,
          mode,
          amount,
          date,
          accountId,
          mode === 'cheque' ? `CHQ${rng.int(100000, 999999)}` : null,
          at,
          at,
        ]);
        for (const d of list)
          push('payment_allocations', [tenantId, newId(), paymentId, d.invoiceId, d.amount, at]);
        if (accountId)
          push('bank_transactions', [
            tenantId,
            newId(),
            accountId,
            direction === 'in' ? 'deposit' : 'withdrawal',
            amount,
            date,
            `Payment ${direction === 'in' ? 'received' : 'made'}`,
            paymentId,
            null,
            null,
            at,
          ]);
        audit(businessId, 'payment', paymentId, at, { number, amount, allocations: list.length });
      };
      const owe = (partyId: string, direction: 'in' | 'out', due: Due) => {
        const list = dues.get(partyId) ?? [];
        list.push(due);
        dues.set(partyId, list);
        const target = dueTargets.get(partyId) ?? rng.int(1, 3);
        if (list.length >= target) {
          emitPayment(partyId, direction, list);
          dues.set(partyId, []);
          dueTargets.set(partyId, rng.int(1, 3));
        }
      };

      const writeDoc = (doc: {
        docType: DocumentType;
        direction: 'sale' | 'purchase';
        partyId: string;
        date: string;
        lines: PlannedLine[];
        referenceId: string | null;
        templateId: string | null;
        dueInDays: number;
      }) => {
        const id = newId();
        const priced = doc.lines.map(priceLine);
        const gross = priced.reduce((acc, l) => acc.plus(l.total), dec(0));
        const discount =
          rng.chance(0.08) && gross.greaterThan(1000)
            ? rng.chance(0.5)
              ? { type: 'amount' as const, value: '50.00' }
              : { type: 'percent' as const, value: '2.00' }
            : undefined;
        const totals = computeInvoiceTotals({ lines: priced, discount, roundToRupee: rng.chance(0.5) });
        const payable = isPayable(doc.docType);
        const r = rng.next();
        let status: string;
        let cancelledAt: string | null = null;
        let deletedAt: string | null = null;
        const at = stamp(doc.date);
        if (doc.templateId) status = 'unpaid';
        else if (r < 0.015) {
          status = 'cancelled';
          cancelledAt = stamp(addDays(doc.date, 1));
        } else if (r < 0.025) status = 'draft';
        else if (r < 0.03) {
          status = payable ? 'unpaid' : 'sent';
          deletedAt = stamp(addDays(doc.date, 2));
        } else if (payable) status = 'unpaid';
        else if (doc.docType === 'quotation')
          status = rng.pick(['sent', 'accepted', 'declined', 'converted']);
        else status = rng.pick(['sent', 'accepted']);
        const effective = status !== 'draft' && status !== 'cancelled' && deletedAt === null;
        let amountPaid = dec(0);
        if (payable && effective) {
          const p = rng.next();
          if (p < 0.55) amountPaid = dec(totals.total);
          else if (p < 0.75)
            amountPaid = dec(totals.total).times(rng.int(20, 80)).dividedBy(100).toDecimalPlaces(0, 1);
          if (amountPaid.greaterThan(0))
            status = amountPaid.greaterThanOrEqualTo(totals.total) ? 'paid' : 'partial';
        }
        const kind = sequenceKindFor(doc.docType, doc.direction);
        const number = take(kind);
        push('invoices', [
          tenantId,
          id,
          businessId,
          doc.partyId,
          doc.docType,
          doc.direction,
          number,
          status,
          doc.date,
          addDays(doc.date, doc.dueInDays),
          doc.referenceId,
          doc.templateId,
          profile.stateCode,
          totals.subtotal,
          totals.discountAmount,
          totals.taxAmount,
          totals.roundOff,
          totals.total,
          toMoney(amountPaid),
          doc.templateId ? 'Monthly service contract' : null,
          cancelledAt,
          deletedAt,
          at,
          deletedAt ?? cancelledAt ?? at,
        ]);
        const sign = stockSign(doc.docType, doc.direction);
        doc.lines.forEach((l, i) => {
          const t = priced[i]!;
          push('invoice_items', [
            tenantId,
            newId(),
            id,
            i + 1,
            l.itemId,
            l.variantId,
            l.description,
            l.hsn,
            l.unit,
            l.quantity,
            l.unitPrice,
            l.discountPercent,
            l.taxRate,
            l.taxInclusive,
            t.taxableAmount,
            t.taxAmount,
            t.total,
          ]);
          if (effective && sign !== 0 && l.itemId && trackedIds.has(l.itemId))
            moveStock(l.itemId, l.variantId, dec(l.quantity).times(sign));
        });
        audit(businessId, 'invoice', id, at, {
          docType: doc.docType,
          direction: doc.direction,
          number,
          total: totals.total,
        });
        if (amountPaid.greaterThan(0))
          owe(doc.partyId, doc.direction === 'sale' ? 'in' : 'out', {
            invoiceId: id,
            amount: toMoney(amountPaid),
            date: doc.date,
          });
        if (effective && payable && doc.templateId === null) {
          const past = { id, partyId: doc.partyId, lines: doc.lines };
          const ring = doc.direction === 'sale' ? recentSales : recentPurchases;
          ring.push(past);
          if (ring.length > 200) ring.shift();
        }
        return id;
      };

      const pickRegular = (date: string) => {
        const r = rng.next();
        const customer = () => rng.pick(customers).id;
        const supplier = () => rng.pick(suppliers).id;
        const sale = (docType: 'invoice' | 'quotation' | 'proforma' | 'delivery_challan') => ({
          docType,
          direction: 'sale' as const,
          partyId: customer(),
          date,
          lines: makeLines('sale'),
          referenceId: null,
          templateId: null,
          dueInDays: rng.pick([0, 7, 15, 30]),
        });
        if (r < 0.58) return sale('invoice');
        if (r < 0.74)
          return {
            docType: 'invoice' as const,
            direction: 'purchase' as const,
            partyId: supplier(),
            date,
            lines: makeLines('purchase'),
            referenceId: null,
            templateId: null,
            dueInDays: 30,
          };
        if (r < 0.8) return sale('quotation');
        if (r < 0.83) return sale('proforma');
        if (r < 0.87) return sale('delivery_challan');
        const correction = (docType: 'credit_note' | 'sales_return' | 'debit_note' | 'purchase_return') => {
          const purchase = docType === 'debit_note' || docType === 'purchase_return';
          const ring = purchase ? recentPurchases : recentSales;
          if (!ring.length) return null;
          const source = rng.pick(ring);
          return {
            docType,
            direction: purchase ? ('purchase' as const) : ('sale' as const),
            partyId: source.partyId,
            date,
            lines: correctionLines(source),
            referenceId: source.id,
            templateId: null,
            dueInDays: 0,
          };
        };
        const pickCorrection =
          r < 0.91
            ? correction('credit_note')
            : r < 0.95
              ? correction('sales_return')
              : r < 0.97
                ? correction('debit_note')
                : correction('purchase_return');
        return pickCorrection ?? sale('invoice');
      };

      let emitted = 0;
      let regular = 0;
      const regularTarget = docCount;
      while (emitted < docCount) {
        const date = addDays(startDate, Math.floor((regular * HISTORY_DAYS) / Math.max(1, regularTarget)));
        const dueTemplate = templates.find((t) => t.nextRun < t.runs.length && t.runs[t.nextRun]! <= date);
        if (dueTemplate) {
          const runDate = dueTemplate.runs[dueTemplate.nextRun]!;
          const invoiceId = writeDoc({
            docType: 'invoice',
            direction: 'sale',
            partyId: dueTemplate.partyId,
            date: runDate,
            lines: dueTemplate.lines,
            referenceId: null,
            templateId: dueTemplate.id,
            dueInDays: dueTemplate.dueInDays,
          });
          push('recurring_invoice_runs', [
            tenantId,
            newId(),
            dueTemplate.id,
            runDate,
            invoiceId,
            'succeeded',
            stamp(runDate),
          ]);
          dueTemplate.nextRun += 1;
        } else {
          writeDoc(pickRegular(date));
          regular += 1;
          // Expenses, transfers and stock counts happen along the way.
          if (regular % 12 === 0) {
            const expenseId = newId();
            const paid = rng.chance(0.9);
            const amount = toMoney(dec(rng.int(10000, 2000000)).dividedBy(100));
            const accountId = paid ? (rng.chance(0.5) ? cashId : rng.pick(bankIds)) : null;
            const at = stamp(date);
            push('expenses', [
              tenantId,
              expenseId,
              businessId,
              rng.pick(categoryIds),
              rng.chance(0.3) ? rng.pick(suppliers).id : null,
              date,
              amount,
              toMoney(dec(amount).times(18).dividedBy(118).toDecimalPlaces(2)),
              paid,
              paid ? (accountId === cashId ? 'cash' : 'bank_transfer') : null,
              accountId,
              null,
              at,
              at,
            ]);
            if (accountId)
              push('bank_transactions', [
                tenantId,
                newId(),
                accountId,
                'withdrawal',
                amount,
                date,
                'Expense',
                null,
                expenseId,
                null,
                at,
              ]);
            audit(businessId, 'expense', expenseId, at, { amount, paid });
          }
          if (regular % 250 === 0) {
            const outId = newId();
            const inId = newId();
            const to = rng.pick(bankIds);
            const amount = toMoney(rng.int(5, 100) * 1000);
            const at = stamp(date);
            push('bank_transactions', [
              tenantId,
              outId,
              cashId,
              'transfer_out',
              amount,
              date,
              'Cash deposited in bank',
              null,
              null,
              inId,
              at,
            ]);
            push('bank_transactions', [
              tenantId,
              inId,
              to,
              'transfer_in',
              amount,
              date,
              'Cash deposited in bank',
              null,
              null,
              outId,
              at,
            ]);
            audit(businessId, 'bank_transaction', outId, at, { amount }, 'transfer');
          }
          if (regular % 150 === 0) {
            const product = rng.pick(products);
            const variant = product.variants.length ? rng.pick(product.variants) : null;
            const q = dec(rng.int(1, 5)).times(rng.chance(0.7) ? -1 : 1);
            const at = stamp(date);
            push('stock_adjustments', [
              tenantId,
              newId(),
              product.id,
              variant?.id ?? null,
              q.toFixed(3),
              q.isNegative() ? 'Damaged' : 'Stock count',
              date,
              null,
              at,
            ]);
            moveStock(product.id, variant?.id ?? null, q);
            audit(businessId, 'item', product.id, at, { quantityChange: q.toFixed(3) }, 'adjust_stock');
          }
        }
        emitted += 1;
        done += 1;
        if (done % BATCH === 0) {
          await flushDocuments();
          progress('documents', done);
        }
      }
      // Whatever is still owed by a party is paid in a final payment each.
      for (const [partyId, list] of dues) {
        if (!list.length) continue;
        const isSupplier = suppliers.some((s) => s.id === partyId);
        emitPayment(partyId, isSupplier ? 'out' : 'in', list);
      }
      await flushDocuments();

      // The bookkeeping that follows from the documents: stock, sequences, schedule.
      const stockIds = [...itemStock.keys()];
      await writer.exec(
        `UPDATE items i SET stock_quantity = v.q::numeric FROM unnest($1::uuid[], $2::text[]) AS v(id, q)
         WHERE i.tenant_id = $3 AND i.id = v.id`,
        [stockIds, stockIds.map((id) => itemStock.get(id)!.toFixed(3)), tenantId],
      );
      const variantIds = [...variantStock.keys()];
      await writer.exec(
        `UPDATE item_variants i SET stock_quantity = v.q::numeric FROM unnest($1::uuid[], $2::text[]) AS v(id, q)
         WHERE i.tenant_id = $3 AND i.id = v.id`,
        [variantIds, variantIds.map((id) => variantStock.get(id)!.toFixed(3)), tenantId],
      );
      const sequenceRows: Row[] = (Object.keys(DEFAULT_PREFIXES) as SequenceKind[]).map((kind) => [
        tenantId,
        newId(),
        businessId,
        kind,
        DEFAULT_PREFIXES[kind],
        (sequence.get(kind) ?? 0) + 1,
        5,
        created,
        stamp(endDate),
      ]);
      await writer.copy('document_sequences', COLUMNS.document_sequences, sequenceRows);
      counts.document_sequences = (counts.document_sequences ?? 0) + sequenceRows.length;
      for (const t of templates) {
        const lastRun = t.nextRun > 0 ? t.runs[t.nextRun - 1]! : null;
        const next =
          t.nextRun < t.runs.length
            ? t.runs[t.nextRun]!
            : nextOccurrence(t.runs[t.runs.length - 1] ?? t.startDate, 'monthly', 1, t.startDate);
        await writer.exec(
          `UPDATE recurring_invoice_templates SET next_run_date = $1, last_run_at = $2 WHERE tenant_id = $3 AND id = $4`,
          [next, lastRun ? `${lastRun} 06:00:00+00` : null, tenantId, t.id],
        );
      }
    }

    async function flushDocuments() {
      await flush(FLUSH_ORDER);
    }

    // Fresh planner statistics: without them, the first queries over a bulk-loaded organization
    // pick nested loops and take minutes instead of seconds.
    await writer.exec(`ANALYZE ${[...new Set(['businesses', ...Object.keys(COLUMNS)])].join(', ')}`);
    progress('finish', done);
    return { businessIds, rows: counts, durationMs: Date.now() - started };
  });
}

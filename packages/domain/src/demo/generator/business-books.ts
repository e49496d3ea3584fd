import {
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
} from '@hisaabo/db';
import type { PgTable } from 'drizzle-orm/pg-core';
import { addDays } from '../../dates.ts';
import type { LineTotals } from '../../totals.ts';
import type { BulkWriter } from '../bulk-writer.ts';
import { generateAccounts, generateExpenseCategories } from './accounts.ts';
import { generateBusiness } from './business.ts';
import { generateExpense, generateTransfer } from './cash.ts';
import { type BusinessScope, HISTORY_DAYS, type SeedContext, stamp } from './context.ts';
import { DocumentWriter } from './documents.ts';
import { generateItems } from './items.ts';
import { DocumentNumbers } from './numbering.ts';
import { generateParties } from './parties.ts';
import { PaymentBook } from './payments.ts';
import { dueTemplate, generateTemplates, recordRun, saveSchedules } from './recurring.ts';
import { StockLedger } from './stock.ts';

/** Documents (and what comes with them) are loaded in batches of this many. */
const BATCH = 2500;

/** Foreign-key-safe load order of what the documents bring along. */
const DOCUMENT_TABLES: readonly PgTable[] = [
  invoices,
  invoiceItems,
  payments,
  paymentAllocations,
  expenses,
  bankTransactions,
  stockAdjustments,
  recurringInvoiceRuns,
  auditLog,
];

/** Every table the generator fills, for the planner statistics at the end. */
export const GENERATED_TABLES: readonly PgTable[] = [
  businesses,
  documentSequences,
  parties,
  items,
  itemVariants,
  bankAccounts,
  expenseCategories,
  recurringInvoiceTemplates,
  ...DOCUMENT_TABLES,
];

/** Counts the documents of the whole organization, to load and report progress in batches. */
export interface DocumentProgress {
  done: number;
  onBatch(done: number): void;
}

/**
 * One business's books: master data first, then two years of documents in date order (numbers rise
 * with dates, as in a real book) with the payments, expenses, transfers, stock counts and contract
 * runs that happen along the way, then the bookkeeping that follows from them.
 */
export async function generateBusinessBooks(
  ctx: SeedContext,
  writer: BulkWriter,
  index: number,
  businessId: string,
  docCount: number,
  progress: DocumentProgress,
  lineCache: Map<string, LineTotals>,
): Promise<void> {
  const { rows } = ctx;
  const scope: BusinessScope = { index, businessId, docCount, created: stamp(ctx, ctx.startDate) };
  const profile = generateBusiness(ctx, scope);
  await rows.flush([businesses]);
  const { customers, suppliers } = generateParties(ctx, scope);
  await rows.flush([parties]);
  const catalog = generateItems(ctx, scope);
  await rows.flush([items, itemVariants]);
  const products = catalog.filter((i) => i.type === 'product');
  const stock = new StockLedger(ctx, scope, products);
  const accounts = generateAccounts(ctx, scope);
  await rows.flush([bankAccounts]);
  const categoryIds = generateExpenseCategories(ctx, scope);
  await rows.flush([expenseCategories]);
  stock.openingStock();
  const services = catalog.filter((i) => i.type === 'service');
  const templates = generateTemplates(ctx, scope, services, customers);
  await rows.flush([recurringInvoiceTemplates, auditLog, stockAdjustments]);

  const numbers = new DocumentNumbers();
  const book = new PaymentBook(ctx, scope, accounts, numbers);
  const documents = new DocumentWriter(
    ctx,
    scope,
    profile.stateCode,
    catalog,
    { customers, suppliers },
    numbers,
    stock,
    book,
    lineCache,
  );
  let regular = 0;
  for (let emitted = 0; emitted < docCount; emitted++) {
    const date = addDays(ctx.startDate, Math.floor((regular * HISTORY_DAYS) / Math.max(1, docCount)));
    const template = dueTemplate(templates, date);
    if (template) {
      const invoiceId = documents.write({
        docType: 'invoice',
        direction: 'sale',
        partyId: template.partyId,
        date: template.runs[template.nextRun]!,
        lines: template.lines,
        referenceId: null,
        templateId: template.id,
        dueInDays: template.dueInDays,
      });
      recordRun(ctx, template, invoiceId);
    } else {
      documents.write(documents.pickRegular(date));
      regular += 1;
      // Expenses, transfers and stock counts happen along the way.
      if (regular % 12 === 0) generateExpense(ctx, scope, date, accounts, categoryIds, suppliers);
      if (regular % 250 === 0) generateTransfer(ctx, scope, date, accounts);
      if (regular % 150 === 0) stock.adjustment(date);
    }
    progress.done += 1;
    if (progress.done % BATCH === 0) {
      await rows.flush(DOCUMENT_TABLES);
      progress.onBatch(progress.done);
    }
  }
  book.settleAll(suppliers);
  await rows.flush(DOCUMENT_TABLES);

  // The bookkeeping that follows from the documents: stock, sequences, schedule.
  await stock.save(writer);
  numbers.generateSequences(ctx, scope);
  await rows.flush([documentSequences]);
  await saveSchedules(ctx, writer, templates);
}

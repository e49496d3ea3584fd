import { queryRows } from '@hisaabo/db';
import { sql } from 'drizzle-orm';
import { accountBalanceSql } from './bank-account.ts';
import { type BusinessContext, type Executor, todayUtc } from './context.ts';
import { effectiveInvoiceSql } from './ledger.ts';
import { toMoney } from './money.ts';

export interface DashboardSummary {
  receivables: string;
  payables: string;
  salesThisMonth: string;
  purchasesThisMonth: string;
  expensesThisMonth: string;
  cashBalance: string;
  bankBalance: string;
  overdueInvoices: number;
  counts: { invoices: number; parties: number; items: number };
}

/** The figures on the home screen, all derived from the documents at the moment of asking. */
export async function dashboardSummary(
  executor: Executor,
  ctx: BusinessContext,
  today = todayUtc(),
): Promise<DashboardSummary> {
  const monthStart = `${today.slice(0, 7)}-01`;
  const [docs] = await queryRows<Record<string, string | number>>(
    executor,
    sql`SELECT
          COALESCE(sum(i.total - i.amount_paid) FILTER (WHERE i.direction = 'sale'), 0)::text AS receivables,
          COALESCE(sum(i.total - i.amount_paid) FILTER (WHERE i.direction = 'purchase'), 0)::text AS payables,
          COALESCE(sum(i.total) FILTER (WHERE i.direction = 'sale' AND i.invoice_date >= ${monthStart} AND i.invoice_date <= ${today}), 0)::text AS sales,
          COALESCE(sum(i.total) FILTER (WHERE i.direction = 'purchase' AND i.invoice_date >= ${monthStart} AND i.invoice_date <= ${today}), 0)::text AS purchases,
          count(*) FILTER (WHERE i.direction = 'sale' AND i.due_date < ${today} AND i.amount_paid < i.total)::int AS overdue
        FROM invoices i
        WHERE i.tenant_id = ${ctx.tenantId} AND i.business_id = ${ctx.businessId} AND i.doc_type = 'invoice' AND ${effectiveInvoiceSql}`,
  );
  const [accounts] = await queryRows<{ cash: string; bank: string }>(
    executor,
    sql`SELECT COALESCE(sum(b) FILTER (WHERE type = 'cash'), 0)::text AS cash,
               COALESCE(sum(b) FILTER (WHERE type <> 'cash'), 0)::text AS bank
        FROM (SELECT a.type, ${accountBalanceSql}::numeric AS b FROM bank_accounts a
              WHERE a.tenant_id = ${ctx.tenantId} AND a.business_id = ${ctx.businessId} AND a.archived_at IS NULL) s`,
  );
  const [counts] = await queryRows<{ invoices: number; parties: number; items: number; expenses: string }>(
    executor,
    sql`SELECT
          (SELECT count(*) FROM invoices WHERE tenant_id = ${ctx.tenantId} AND business_id = ${ctx.businessId} AND deleted_at IS NULL)::int AS invoices,
          (SELECT count(*) FROM parties WHERE tenant_id = ${ctx.tenantId} AND business_id = ${ctx.businessId})::int AS parties,
          (SELECT count(*) FROM items WHERE tenant_id = ${ctx.tenantId} AND business_id = ${ctx.businessId} AND deleted_at IS NULL)::int AS items,
          (SELECT COALESCE(sum(amount), 0) FROM expenses WHERE tenant_id = ${ctx.tenantId} AND business_id = ${ctx.businessId}
             AND expense_date >= ${monthStart} AND expense_date <= ${today})::text AS expenses`,
  );
  return {
    receivables: toMoney(String(docs!.receivables)),
    payables: toMoney(String(docs!.payables)),
    salesThisMonth: toMoney(String(docs!.sales)),
    purchasesThisMonth: toMoney(String(docs!.purchases)),
    expensesThisMonth: toMoney(counts!.expenses),
    cashBalance: toMoney(accounts!.cash),
    bankBalance: toMoney(accounts!.bank),
    overdueInvoices: Number(docs!.overdue),
    counts: {
      invoices: Number(counts!.invoices),
      parties: Number(counts!.parties),
      items: Number(counts!.items),
    },
  };
}

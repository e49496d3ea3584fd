import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { Link } from '../app/router.tsx';
import { useWorkspace } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatMoney } from '../ui/format.ts';
import { SalesChart } from './SalesChart.tsx';
import { useMonthlySales } from './useMonthlySales.ts';

/** The business at a glance: what is owed each way, this month's figures, balances and sales. */
export function DashboardPage() {
  const trpc = useTRPC();
  const { business } = useWorkspace();
  const summary = useQuery(trpc.dashboard.summary.queryOptions());
  const sales = useMonthlySales();
  const s = summary.data;
  const money = (value: string) => formatMoney(value, business.currency);
  const stats = s
    ? [
        { label: 'To receive', value: money(s.receivables) },
        { label: 'To pay', value: money(s.payables) },
        { label: 'Sales this month', value: money(s.salesThisMonth) },
        { label: 'Purchases this month', value: money(s.purchasesThisMonth) },
        { label: 'Expenses this month', value: money(s.expensesThisMonth) },
        { label: 'Cash in hand', value: money(s.cashBalance) },
        { label: 'Bank balance', value: money(s.bankBalance) },
        { label: 'Overdue invoices', value: String(s.overdueInvoices) },
      ]
    : [];
  return (
    <section className="stack">
      <h1>Dashboard</h1>
      <ErrorNote error={summary.error} />
      {s && (
        <>
          <section className="stats" aria-label="Totals">
            {stats.map((stat) => (
              <div className="stat" key={stat.label}>
                <div className="stat-label">{stat.label}</div>
                <div className="stat-value" data-stat={stat.label}>
                  {stat.value}
                </div>
              </div>
            ))}
          </section>
          <p className="hint">
            <Link href="/invoices">{s.counts.invoices} documents</Link> ·{' '}
            <Link href="/parties">{s.counts.parties} parties</Link> ·{' '}
            <Link href="/items">{s.counts.items} items</Link>
          </p>
        </>
      )}
      <section className="card stack" aria-labelledby="sales-title">
        <h2 id="sales-title">Sales, last 6 months</h2>
        {!sales.isPending && <SalesChart months={sales.months} currency={business.currency} />}
        {sales.partial && <p className="hint">Based on the latest 500 sales invoices.</p>}
      </section>
    </section>
  );
}

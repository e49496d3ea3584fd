import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { sumMoney } from '../ui/decimal.ts';
import type { MonthTotal } from './SalesChart.tsx';

const MONTHS = 6;

function lastMonths(count: number): string[] {
  const now = new Date();
  const months: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const d = new Date(now.getFullYear(), now.getMonth() - back, 1);
    months.push(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}

/** Sales invoices of the last six months, totalled per month (exactly, from the server's totals). */
export function useMonthlySales(): { months: MonthTotal[]; partial: boolean; isPending: boolean } {
  const trpc = useTRPC();
  const months = lastMonths(MONTHS);
  const sales = useQuery(
    trpc.invoice.list.queryOptions({
      docType: 'invoice',
      direction: 'sale',
      from: `${months[0]}-01`,
      limit: 500,
      offset: 0,
    }),
  );
  const rows = (sales.data?.invoices ?? []).filter((invoice) => invoice.status !== 'cancelled');
  return {
    months: months.map((month) => ({
      month,
      total: sumMoney(
        rows.filter((invoice) => invoice.invoiceDate.startsWith(month)).map((invoice) => invoice.total),
      ),
    })),
    partial: (sales.data?.total ?? 0) > (sales.data?.invoices.length ?? 0),
    isPending: sales.isPending,
  };
}

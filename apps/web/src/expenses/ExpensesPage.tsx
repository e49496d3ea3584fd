import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { formatDate } from '../ui/format.ts';
import { ListTable } from '../ui/ListTable.tsx';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { usePaging } from '../ui/usePaging.ts';
import { useCategoryNames } from './useCategories.ts';

export function ExpensesPage() {
  const trpc = useTRPC();
  const paging = usePaging();
  const categories = useCategoryNames();
  const list = useQuery({
    ...trpc.expense.list.queryOptions({ limit: paging.limit, offset: paging.offset }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data ?? [];
  return (
    <section className="stack">
      <PageHeader
        title="Expenses"
        actions={
          <button type="button" onClick={() => navigate('/expenses/new')}>
            New expense
          </button>
        }
      />
      <ListTable
        columns={[
          { label: 'Date' },
          { label: 'Category' },
          { label: 'Reference' },
          { label: 'Paid' },
          { label: 'Amount', numeric: true },
        ]}
        rows={rows}
        renderRow={(expense) => (
          <tr key={expense.id}>
            <td>
              <Link href={`/expenses/${expense.id}`}>{formatDate(expense.expenseDate)}</Link>
            </td>
            <td>{categories(expense.categoryId)}</td>
            <td>{expense.reference ?? '—'}</td>
            <td>{expense.paid ? 'Yes' : 'No'}</td>
            <td className="num">
              <Money value={expense.amount} />
            </td>
          </tr>
        )}
        empty={
          <EmptyState title="No expenses yet">
            <p>Record rent, salaries, travel and other costs; a paid expense is taken from its account.</p>
          </EmptyState>
        }
        loaded={list.isSuccess}
        error={list.error}
        paging={paging}
      />
    </section>
  );
}

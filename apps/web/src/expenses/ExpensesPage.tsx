import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import { EmptyState } from '../ui/EmptyState.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatDate } from '../ui/format.ts';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { Pagination } from '../ui/Pagination.tsx';
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
      <ErrorNote error={list.error} />
      {list.isSuccess && rows.length === 0 && (
        <EmptyState title="No expenses yet">
          <p>Record rent, salaries, travel and other costs; a paid expense is taken from its account.</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Category</th>
                <th scope="col">Reference</th>
                <th scope="col">Paid</th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((expense) => (
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
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={paging.page} pageSize={paging.limit} count={rows.length} onPage={paging.setPage} />
    </section>
  );
}

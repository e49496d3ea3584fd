import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { EmptyState } from '../ui/EmptyState.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatDate, humanize } from '../ui/format.ts';
import { Money } from '../ui/Money.tsx';
import { Pagination } from '../ui/Pagination.tsx';
import { usePaging } from '../ui/usePaging.ts';

/** Money leaving the account is shown negative; the server stores every amount as positive. */
const OUTGOING = new Set(['withdrawal', 'transfer_out']);

export function AccountTransactions({ accountId, name }: { accountId: string; name: string }) {
  const trpc = useTRPC();
  const paging = usePaging();
  const list = useQuery({
    ...trpc.bankAccount.transactions.queryOptions({ accountId, limit: paging.limit, offset: paging.offset }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data ?? [];
  return (
    <section className="card stack" aria-labelledby="transactions-title">
      <h2 id="transactions-title">Transactions of {name}</h2>
      <ErrorNote error={list.error} />
      {list.isSuccess && rows.length === 0 && <EmptyState title="No transactions yet" />}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Kind</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((transaction) => (
                <tr key={transaction.id}>
                  <td>{formatDate(transaction.transactionDate)}</td>
                  <td>{humanize(transaction.type)}</td>
                  <td>{transaction.description ?? '—'}</td>
                  <td className="num">
                    <Money
                      value={OUTGOING.has(transaction.type) ? `-${transaction.amount}` : transaction.amount}
                    />
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

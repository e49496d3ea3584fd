import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import { usePartyNames } from '../parties/usePartyNames.ts';
import { EmptyState } from '../ui/EmptyState.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatDate, humanize } from '../ui/format.ts';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { Pagination } from '../ui/Pagination.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { usePaging } from '../ui/usePaging.ts';

const DIRECTION_FILTERS = [
  { value: '', label: 'In and out' },
  { value: 'in', label: 'Received (in)' },
  { value: 'out', label: 'Paid (out)' },
] as const;

export function PaymentsPage() {
  const trpc = useTRPC();
  const paging = usePaging();
  const partyName = usePartyNames();
  const [direction, setDirection] = useState<'in' | 'out' | ''>('');
  const list = useQuery({
    ...trpc.payment.list.queryOptions({
      direction: direction || undefined,
      limit: paging.limit,
      offset: paging.offset,
    }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data ?? [];
  return (
    <section className="stack">
      <PageHeader
        title="Payments"
        actions={
          <button type="button" onClick={() => navigate('/payments/new')}>
            Record payment
          </button>
        }
      />
      <div className="toolbar">
        <SelectField
          label="Direction"
          value={direction}
          options={DIRECTION_FILTERS}
          onChange={(e) => {
            setDirection(e.target.value as 'in' | 'out' | '');
            paging.setPage(1);
          }}
        />
      </div>
      <ErrorNote error={list.error} />
      {list.isSuccess && rows.length === 0 && (
        <EmptyState title={direction ? 'No payment matches' : 'No payments yet'}>
          {!direction && (
            <p>Record money received from customers or paid to suppliers, and settle their invoices.</p>
          )}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Date</th>
                <th scope="col">Party</th>
                <th scope="col">Direction</th>
                <th scope="col">Mode</th>
                <th scope="col" className="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((payment) => (
                <tr key={payment.id}>
                  <td>
                    <Link href={`/payments/${payment.id}`}>{payment.number}</Link>
                  </td>
                  <td>{formatDate(payment.paymentDate)}</td>
                  <td>{partyName(payment.partyId)}</td>
                  <td>{payment.direction === 'in' ? 'Received' : 'Paid'}</td>
                  <td>{humanize(payment.mode)}</td>
                  <td className="num">
                    <Money value={payment.amount} />
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

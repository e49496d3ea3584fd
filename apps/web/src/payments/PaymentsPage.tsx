import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import { usePartyNames } from '../parties/usePartyNames.ts';
import { EmptyState } from '../ui/EmptyState.tsx';
import { formatDate, humanize } from '../ui/format.ts';
import { ListTable } from '../ui/ListTable.tsx';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
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
      <ListTable
        columns={[
          { label: 'Number' },
          { label: 'Date' },
          { label: 'Party' },
          { label: 'Direction' },
          { label: 'Mode' },
          { label: 'Amount', numeric: true },
        ]}
        rows={rows}
        renderRow={(payment) => (
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
        )}
        empty={
          <EmptyState title={direction ? 'No payment matches' : 'No payments yet'}>
            {!direction && (
              <p>Record money received from customers or paid to suppliers, and settle their invoices.</p>
            )}
          </EmptyState>
        }
        loaded={list.isSuccess}
        error={list.error}
        paging={paging}
      />
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { Link, navigate } from '../app/router.tsx';
import { usePartyNames } from '../parties/usePartyNames.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatDate, humanize } from '../ui/format.ts';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';

export function PaymentDetails({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const partyName = usePartyNames();
  const payment = useQuery(trpc.payment.get.queryOptions({ id }));
  const remove = useMutation(
    trpc.payment.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        navigate('/payments');
      },
    }),
  );
  const p = payment.data;
  return (
    <section className="stack">
      <PageHeader title={p ? `Payment ${p.number}` : 'Payment'} />
      <ErrorNote error={payment.error} />
      {p && (
        <div className="card stack">
          <dl className="details">
            <dt>Direction</dt>
            <dd>{p.direction === 'in' ? 'Received' : 'Paid'}</dd>
            <dt>Party</dt>
            <dd>{partyName(p.partyId)}</dd>
            <dt>Date</dt>
            <dd>{formatDate(p.paymentDate)}</dd>
            <dt>Mode</dt>
            <dd>{humanize(p.mode)}</dd>
            <dt>Amount</dt>
            <dd>
              <Money value={p.amount} />
            </dd>
            <dt>Reference</dt>
            <dd>{p.reference ?? '—'}</dd>
          </dl>
          <h2>Settles</h2>
          {p.allocations.length === 0 ? (
            <p>No invoice: the whole amount is unallocated.</p>
          ) : (
            <ul>
              {p.allocations.map((allocation) => (
                <li key={allocation.invoiceId}>
                  <Link href={`/invoices/${allocation.invoiceId}`}>{allocation.number}</Link>:{' '}
                  <Money value={allocation.amount} />
                </li>
              ))}
            </ul>
          )}
          <ErrorNote error={remove.error} />
          <div className="row">
            <button
              type="button"
              className="danger"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete payment ${p.number}? Its invoices become unpaid again.`))
                  remove.mutate({ id });
              }}
            >
              Delete payment
            </button>
            <button type="button" className="secondary" onClick={() => navigate('/payments')}>
              Back to list
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { EmptyState } from '../ui/EmptyState.tsx';
import { formatDate } from '../ui/format.ts';
import { subtractMoney } from '../ui/decimal.ts';
import { Money } from '../ui/Money.tsx';

interface AllocationsEditorProps {
  partyId: string;
  direction: 'in' | 'out';
  /** Amount typed per invoice id (decimal strings). */
  amounts: Record<string, string>;
  onChange: (amounts: Record<string, string>) => void;
  errors: Record<string, string[]>;
}

/**
 * The party's open invoices, each with the amount of this payment that settles it. The server checks
 * that no allocation exceeds an invoice's balance or the payment; nothing is added up here.
 */
export function AllocationsEditor({ partyId, direction, amounts, onChange, errors }: AllocationsEditorProps) {
  const trpc = useTRPC();
  const open = useQuery({
    ...trpc.invoice.list.queryOptions({
      partyId,
      docType: 'invoice',
      direction: direction === 'in' ? 'sale' : 'purchase',
      limit: 100,
      offset: 0,
    }),
    enabled: Boolean(partyId),
  });
  const invoices = (open.data?.invoices ?? []).filter(
    (invoice) => invoice.status === 'unpaid' || invoice.status === 'partial' || amounts[invoice.id],
  );
  if (!partyId)
    return <p className="hint">Choose a party to settle their open invoices with this payment.</p>;
  if (open.isSuccess && invoices.length === 0) return <EmptyState title="No open invoices for this party" />;
  const allocationError = Object.entries(errors)
    .filter(([key]) => key.startsWith('allocations'))
    .flatMap(([, messages]) => messages);
  return (
    <fieldset className="stack">
      <legend>Settle invoices</legend>
      <div className="table-scroll">
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Invoice</th>
              <th scope="col">Date</th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col" className="num">
                Paid
              </th>
              <th scope="col" className="num">
                Due
              </th>
              <th scope="col">Allocate</th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((invoice) => (
              <tr key={invoice.id}>
                <td>{invoice.number}</td>
                <td>{formatDate(invoice.invoiceDate)}</td>
                <td className="num">
                  <Money value={invoice.total} />
                </td>
                <td className="num">
                  <Money value={invoice.amountPaid} />
                </td>
                <td className="num">
                  <Money value={subtractMoney(invoice.total, invoice.amountPaid)} />
                </td>
                <td>
                  <div className="row">
                    <input
                      className="allocation"
                      aria-label={`Amount for ${invoice.number}`}
                      inputMode="decimal"
                      placeholder="0.00"
                      value={amounts[invoice.id] ?? ''}
                      onChange={(e) => onChange({ ...amounts, [invoice.id]: e.target.value })}
                    />
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Settle ${invoice.number} in full`}
                      onClick={() =>
                        onChange({
                          ...amounts,
                          [invoice.id]: subtractMoney(invoice.total, invoice.amountPaid),
                        })
                      }
                    >
                      Full
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {allocationError.length > 0 && <p className="field-error">{allocationError.join(' ')}</p>}
    </fieldset>
  );
}

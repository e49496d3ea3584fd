import type { RouterOutputs } from '../api/trpc.ts';
import { Money } from '../ui/Money.tsx';

type SavedInvoice = RouterOutputs['invoice']['get'];

/** The totals as the server computed them from the saved lines. */
export function InvoiceTotals({ invoice }: { invoice: SavedInvoice }) {
  return (
    <dl className="details totals" aria-label="Totals">
      <dt>Subtotal</dt>
      <dd className="num">
        <Money value={invoice.subtotal} />
      </dd>
      <dt>Discount</dt>
      <dd className="num">
        <Money value={invoice.discountAmount} />
      </dd>
      <dt>Tax</dt>
      <dd className="num">
        <Money value={invoice.taxAmount} />
      </dd>
      <dt>Round off</dt>
      <dd className="num">
        <Money value={invoice.roundOff} />
      </dd>
      <dt>Total</dt>
      <dd className="num">
        <strong>
          <Money value={invoice.total} />
        </strong>
      </dd>
      <dt>Paid</dt>
      <dd className="num">
        <Money value={invoice.amountPaid} />
      </dd>
      <dt>Balance</dt>
      <dd className="num">
        <Money value={invoice.balance} />
      </dd>
    </dl>
  );
}

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { formatDate } from '../ui/format.ts';
import { SelectField } from '../ui/SelectField.tsx';
import type { Direction } from './documentTypes.ts';

/** Document types that correct or return another document, and so may name it. */
export const CORRECTING_TYPES = new Set(['credit_note', 'debit_note', 'sales_return', 'purchase_return']);

interface ReferenceFieldProps {
  partyId: string;
  direction: Direction;
  value: string;
  onChange: (invoiceId: string) => void;
  error?: string[];
}

/** "Corrects document": the party's invoice that a credit note or return refers to. */
export function ReferenceField({ partyId, direction, value, onChange, error }: ReferenceFieldProps) {
  const trpc = useTRPC();
  const invoices = useQuery({
    ...trpc.invoice.list.queryOptions({ partyId, docType: 'invoice', direction, limit: 100, offset: 0 }),
    enabled: Boolean(partyId),
  });
  const options = (invoices.data?.invoices ?? []).map((invoice) => ({
    value: invoice.id,
    label: `${invoice.number} · ${formatDate(invoice.invoiceDate)}`,
  }));
  return (
    <SelectField
      label="Corrects document"
      value={value}
      disabled={!partyId}
      options={[{ value: '', label: partyId ? 'None' : 'Choose a party first' }, ...options]}
      onChange={(event) => onChange(event.target.value)}
      error={error}
    />
  );
}

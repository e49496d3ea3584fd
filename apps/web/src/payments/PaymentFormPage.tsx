import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { navigate } from '../app/router.tsx';
import { useAccountOptions } from '../bank/useAccountOptions.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { FormActions } from '../ui/FormActions.tsx';
import { todayIso } from '../ui/format.ts';
import { PageHeader } from '../ui/PageHeader.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { optional } from '../ui/useFormFields.ts';
import { AllocationsEditor } from './AllocationsEditor.tsx';
import { PaymentDetails } from './PaymentDetails.tsx';
import { PAYMENT_MODES, type PaymentMode } from './paymentModes.ts';
import { usePartyOptions } from './usePartyOptions.ts';

const DIRECTIONS = [
  { value: 'in', label: 'Received from a customer (in)' },
  { value: 'out', label: 'Paid to a supplier (out)' },
] as const;

/** Record a payment and settle invoices with it; an existing payment is shown with its allocations. */
export function PaymentFormPage({ id }: { id?: string }) {
  if (id) return <PaymentDetails id={id} />;
  return <NewPayment />;
}

function NewPayment() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const accounts = useAccountOptions();
  const partyOptions = usePartyOptions();
  const [direction, setDirection] = useState<'in' | 'out'>('in');
  const [partyId, setPartyId] = useState('');
  const [amount, setAmount] = useState('');
  const [paymentDate, setPaymentDate] = useState(todayIso());
  const [mode, setMode] = useState<PaymentMode>('cash');
  const [bankAccountId, setBankAccountId] = useState('');
  const [reference, setReference] = useState('');
  const [allocations, setAllocations] = useState<Record<string, string>>({});
  const create = useMutation(
    trpc.payment.create.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.payment.pathFilter()),
          queryClient.invalidateQueries(trpc.invoice.pathFilter()),
          queryClient.invalidateQueries(trpc.dashboard.pathFilter()),
          queryClient.invalidateQueries(trpc.bankAccount.pathFilter()),
        ]);
        navigate('/payments');
      },
    }),
  );
  const errors = fieldErrors(create.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({
      direction,
      partyId: partyId || null,
      amount,
      paymentDate,
      mode,
      bankAccountId: bankAccountId || accounts[0]?.value || null,
      reference: optional(reference) ?? null,
      allocations: Object.entries(allocations)
        .filter(([, value]) => value.trim() !== '')
        .map(([invoiceId, value]) => ({ invoiceId, amount: value.trim() })),
    });
  }

  return (
    <section className="stack">
      <PageHeader title="Record payment" />
      <form className="card stack" onSubmit={submit}>
        <div className="form-grid">
          <SelectField
            label="Direction"
            value={direction}
            options={DIRECTIONS}
            onChange={(e) => {
              setDirection(e.target.value as 'in' | 'out');
              setAllocations({});
            }}
          />
          <SelectField
            label="Party"
            value={partyId}
            options={[{ value: '', label: 'No party' }, ...partyOptions]}
            onChange={(e) => {
              setPartyId(e.target.value);
              setAllocations({});
            }}
            error={errors.partyId}
          />
          <Field
            label="Amount"
            inputMode="decimal"
            required
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={errors.amount}
          />
          <Field
            label="Date"
            type="date"
            required
            value={paymentDate}
            onChange={(e) => setPaymentDate(e.target.value)}
            error={errors.paymentDate}
          />
          <SelectField
            label="Mode"
            value={mode}
            options={PAYMENT_MODES}
            onChange={(e) => setMode(e.target.value as PaymentMode)}
          />
          <SelectField
            label="Account"
            value={bankAccountId || accounts[0]?.value || ''}
            options={accounts}
            onChange={(e) => setBankAccountId(e.target.value)}
            error={errors.bankAccountId}
          />
          <Field
            label="Reference"
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            error={errors.reference}
          />
        </div>
        <AllocationsEditor
          partyId={partyId}
          direction={direction}
          amounts={allocations}
          onChange={setAllocations}
          errors={errors}
        />
        <ErrorNote error={create.error} />
        <FormActions submitLabel="Save payment" pending={create.isPending} backTo="/payments" />
      </form>
    </section>
  );
}

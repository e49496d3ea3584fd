import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { optional } from '../ui/useFormFields.ts';

const ACCOUNT_TYPES = [
  { value: 'cash', label: 'Cash' },
  { value: 'savings', label: 'Savings account' },
  { value: 'current', label: 'Current account' },
  { value: 'upi', label: 'UPI' },
  { value: 'credit_card', label: 'Credit card' },
] as const;

type AccountType = (typeof ACCOUNT_TYPES)[number]['value'];

export function NewAccountForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [type, setType] = useState<AccountType>('current');
  const [name, setName] = useState('');
  const [bankName, setBankName] = useState('');
  const [openingBalance, setOpeningBalance] = useState('0.00');
  const create = useMutation(
    trpc.bankAccount.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.bankAccount.pathFilter());
        await queryClient.invalidateQueries(trpc.dashboard.pathFilter());
        onDone();
      },
    }),
  );
  const errors = fieldErrors(create.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({
      type,
      name,
      bankName: optional(bankName) ?? null,
      openingBalance: optional(openingBalance) ?? '0',
    });
  }
  return (
    <form className="card stack" onSubmit={submit} aria-label="New account">
      <div className="form-grid">
        <SelectField
          label="Type"
          value={type}
          options={ACCOUNT_TYPES}
          onChange={(e) => setType(e.target.value as AccountType)}
        />
        <Field
          label="Account name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
        />
        <Field label="Bank" value={bankName} onChange={(e) => setBankName(e.target.value)} />
        <Field
          label="Opening balance"
          inputMode="decimal"
          value={openingBalance}
          onChange={(e) => setOpeningBalance(e.target.value)}
          error={errors.openingBalance}
        />
      </div>
      <ErrorNote error={create.error} />
      <div className="row">
        <button type="submit" disabled={create.isPending}>
          Create account
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

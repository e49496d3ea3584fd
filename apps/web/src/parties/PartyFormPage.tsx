import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { DeleteButton } from '../ui/DeleteButton.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { FormActions } from '../ui/FormActions.tsx';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { TextAreaField } from '../ui/TextAreaField.tsx';
import { optional, useFormFields } from '../ui/useFormFields.ts';
import { useLeaveAfterSave } from '../ui/useLeaveAfterSave.ts';
import { PARTY_TYPE_OPTIONS, type PartyType } from './partyTypes.ts';

const EMPTY = {
  type: 'customer' as string,
  name: '',
  contactPerson: '',
  phone: '',
  email: '',
  gstin: '',
  stateCode: '',
  billingAddress: '',
  openingBalance: '0.00',
  creditPeriodDays: '0',
};

/** Create a party, or edit one (with its balance, derived by the server). */
export function PartyFormPage({ id }: { id?: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const existing = useQuery({ ...trpc.party.get.queryOptions({ id: id ?? '' }), enabled: Boolean(id) });
  const form = useFormFields(EMPTY);
  const { setValues } = form;
  useEffect(() => {
    const party = existing.data;
    if (!party) return;
    setValues({
      type: party.type,
      name: party.name,
      contactPerson: party.contactPerson ?? '',
      phone: party.phone ?? '',
      email: party.email ?? '',
      gstin: party.gstin ?? '',
      stateCode: party.stateCode ?? '',
      billingAddress: party.billingAddress ?? '',
      openingBalance: party.openingBalance,
      creditPeriodDays: String(party.creditPeriodDays),
    });
  }, [existing.data, setValues]);

  const done = useLeaveAfterSave([trpc.party.pathFilter(), trpc.dashboard.pathFilter()], '/parties');
  const create = useMutation(trpc.party.create.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.party.update.mutationOptions({ onSuccess: done }));
  const save = id ? update : create;
  const errors = fieldErrors(save.error);
  const v = form.values;

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      type: v.type as PartyType,
      name: v.name,
      contactPerson: optional(v.contactPerson) ?? null,
      phone: optional(v.phone) ?? null,
      email: optional(v.email) ?? null,
      gstin: optional(v.gstin) ?? null,
      stateCode: optional(v.stateCode) ?? null,
      billingAddress: optional(v.billingAddress) ?? null,
      openingBalance: optional(v.openingBalance) ?? '0',
      creditPeriodDays: Number.parseInt(v.creditPeriodDays || '0', 10),
    };
    if (id) update.mutate({ id, patch: input });
    else create.mutate(input);
  }

  return (
    <section className="stack">
      <PageHeader title={id ? (existing.data?.name ?? 'Party') : 'New party'} />
      <ErrorNote error={existing.error} />
      {existing.data && (
        <p>
          Balance: <Money value={existing.data.balance} />{' '}
          <span className="hint">(positive: they owe you; negative: you owe them)</span>
        </p>
      )}
      <form className="card stack" onSubmit={submit}>
        <div className="form-grid">
          <SelectField
            label="Type"
            value={v.type}
            options={PARTY_TYPE_OPTIONS}
            onChange={(e) => form.set('type', e.target.value)}
          />
          <Field label="Name" required {...form.text('name')} error={errors.name} />
          <Field label="Contact person" {...form.text('contactPerson')} />
          <Field label="Phone" type="tel" {...form.text('phone')} error={errors.phone} />
          <Field label="Email" type="email" {...form.text('email')} error={errors.email} />
          <Field label="GSTIN" {...form.text('gstin')} error={errors.gstin} />
          <Field label="State code" {...form.text('stateCode')} error={errors.stateCode} />
          <Field
            label="Opening balance"
            inputMode="decimal"
            {...form.text('openingBalance')}
            error={errors.openingBalance}
            hint="Positive if they owe you."
          />
          <Field
            label="Credit period (days)"
            type="number"
            min={0}
            {...form.text('creditPeriodDays')}
            error={errors.creditPeriodDays}
          />
        </div>
        <TextAreaField label="Billing address" {...form.text('billingAddress')} />
        <ErrorNote error={save.error} />
        <FormActions
          submitLabel={id ? 'Save party' : 'Create party'}
          pending={save.isPending}
          backTo="/parties"
        >
          {id && (
            <DeleteButton
              label="Delete party"
              confirm={`Delete ${v.name}? This is refused while documents or payments refer to the party.`}
              run={() => client.party.delete.mutate({ id })}
              then="/parties"
            />
          )}
        </FormActions>
      </form>
    </section>
  );
}

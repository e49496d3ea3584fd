import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { canManage, useWorkspace } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { SubmitButton } from '../ui/SubmitButton.tsx';
import { optional, useFormFields } from '../ui/useFormFields.ts';

const EMPTY = {
  name: '',
  legalName: '',
  gstin: '',
  pan: '',
  email: '',
  phone: '',
  addressLine1: '',
  addressLine2: '',
  city: '',
  state: '',
  stateCode: '',
  postalCode: '',
};

type ProfileField = keyof typeof EMPTY;

const LABELS: Record<ProfileField, string> = {
  name: 'Business name',
  legalName: 'Legal name',
  gstin: 'GSTIN',
  pan: 'PAN',
  email: 'Email',
  phone: 'Phone',
  addressLine1: 'Address line 1',
  addressLine2: 'Address line 2',
  city: 'City',
  state: 'State',
  stateCode: 'State code',
  postalCode: 'Postal code',
};

/** The business's profile as printed on its documents. */
export function BusinessProfileForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { organization } = useWorkspace();
  const business = useQuery(trpc.business.get.queryOptions());
  const form = useFormFields(EMPTY);
  const { setValues } = form;
  useEffect(() => {
    const b = business.data;
    if (!b) return;
    setValues(
      Object.fromEntries(
        Object.keys(EMPTY).map((key) => [key, b[key as ProfileField] ?? '']),
      ) as typeof EMPTY,
    );
  }, [business.data, setValues]);
  const update = useMutation(
    trpc.business.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.business.pathFilter()),
    }),
  );
  const errors = fieldErrors(update.error);
  const editable = canManage(organization);

  function submit(event: FormEvent) {
    event.preventDefault();
    const values = form.values;
    update.mutate({
      name: values.name,
      ...Object.fromEntries(
        (Object.keys(EMPTY) as ProfileField[])
          .filter((key) => key !== 'name')
          .map((key) => [key, optional(values[key]) ?? null]),
      ),
    });
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="profile-title">
      <h2 id="profile-title">Business profile</h2>
      <ErrorNote error={business.error} />
      <fieldset className="form-grid" disabled={!editable}>
        {(Object.keys(EMPTY) as ProfileField[]).map((key) => (
          <Field
            key={key}
            label={LABELS[key]}
            required={key === 'name'}
            value={form.values[key]}
            onChange={(e) => form.set(key, e.target.value)}
            error={errors[key]}
          />
        ))}
      </fieldset>
      <ErrorNote error={update.error} />
      {update.isSuccess && <p className="note note-success">Saved.</p>}
      {editable ? (
        <div>
          <SubmitButton pending={update.isPending} pendingLabel="Saving…">
            Save profile
          </SubmitButton>
        </div>
      ) : (
        <p className="hint">Only owners and admins can change the profile.</p>
      )}
    </form>
  );
}

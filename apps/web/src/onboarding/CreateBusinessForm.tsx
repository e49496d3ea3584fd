import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { navigate } from '../app/router.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { SubmitButton } from '../ui/SubmitButton.tsx';

export function CreateBusinessForm({ onCancel }: { onCancel?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [gstin, setGstin] = useState('');
  const [state, setState] = useState('');
  const create = useMutation(
    trpc.business.create.mutationOptions({
      onSuccess: async () => {
        navigate('/dashboard', { replace: true });
        await queryClient.invalidateQueries(trpc.business.list.queryFilter());
      },
    }),
  );
  const errors = fieldErrors(create.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, gstin: gstin || undefined, state: state || undefined });
  }

  return (
    <form className="stack" onSubmit={submit}>
      <h2>Create a new business</h2>
      <Field
        label="Business name"
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <Field
        label="GSTIN (optional)"
        value={gstin}
        onChange={(e) => setGstin(e.target.value)}
        error={errors.gstin}
      />
      <Field
        label="State (optional)"
        value={state}
        onChange={(e) => setState(e.target.value)}
        error={errors.state}
      />
      <ErrorNote error={create.error} />
      <div className="row">
        <SubmitButton pending={create.isPending} pendingLabel="Creating…">
          Create business
        </SubmitButton>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Back
          </button>
        )}
      </div>
    </form>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { useWorkspace } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { SelectField } from '../ui/SelectField.tsx';
import { SubmitButton } from '../ui/SubmitButton.tsx';
import { ROLE_OPTIONS, type RoleName } from './roles.ts';

export function AddMemberForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { organization } = useWorkspace();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<RoleName>('member');
  const add = useMutation(
    trpc.tenant.addMember.mutationOptions({
      onSuccess: async () => {
        setEmail('');
        await queryClient.invalidateQueries(trpc.tenant.members.queryFilter());
      },
    }),
  );
  const errors = fieldErrors(add.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ tenantId: organization.id, email, role });
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="add-member-title">
      <h2 id="add-member-title">Add a member</h2>
      <p className="hint">The person needs a Hisaabo account on this server first.</p>
      <div className="form-grid">
        <Field
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
        />
        <SelectField
          label="Role"
          value={role}
          options={ROLE_OPTIONS}
          onChange={(e) => setRole(e.target.value as RoleName)}
        />
      </div>
      <ErrorNote error={add.error} />
      <div>
        <SubmitButton pending={add.isPending} pendingLabel="Adding…">
          Add member
        </SubmitButton>
      </div>
    </form>
  );
}

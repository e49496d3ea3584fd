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

/** Owners and admins invite by email; membership starts only when the invitee accepts. */
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
        await queryClient.invalidateQueries(trpc.tenant.invitations.queryFilter());
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
      <h2 id="add-member-title">Invite a member</h2>
      <p className="hint">
        They join once they accept: the invitation waits on their Get started screen and in the organization
        switcher when they sign in (or sign up) on this server with this email.
      </p>
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
      {add.data && (
        <p className="note" role="status">
          {add.data.email} is invited as {add.data.role}; they become a member when they accept.
        </p>
      )}
      <div>
        <SubmitButton pending={add.isPending} pendingLabel="Inviting…">
          Invite
        </SubmitButton>
      </div>
    </form>
  );
}

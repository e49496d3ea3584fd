import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { SubmitButton } from '../ui/SubmitButton.tsx';

/** A new password; every other session of the account is signed out, this one stays. */
export function ChangePasswordForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: async () => {
        setCurrentPassword('');
        setNewPassword('');
        await queryClient.invalidateQueries(trpc.auth.sessions.queryFilter());
      },
    }),
  );
  const errors = fieldErrors(change.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate({ currentPassword, newPassword });
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="change-password-title">
      <h2 id="change-password-title">Change password</h2>
      <p className="hint">Your other sessions are signed out; this one stays signed in.</p>
      <div className="form-grid">
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(e) => setCurrentPassword(e.target.value)}
          error={errors.currentPassword}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
          error={errors.newPassword}
          hint="At least 8 characters."
        />
      </div>
      <ErrorNote error={change.error} />
      {change.data && (
        <p className="note" role="status">
          Password changed; {change.data.signedOutSessions} other session
          {change.data.signedOutSessions === 1 ? '' : 's'} signed out.
        </p>
      )}
      <div>
        <SubmitButton pending={change.isPending} pendingLabel="Changing…">
          Change password
        </SubmitButton>
      </div>
    </form>
  );
}

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { Link } from '../app/router.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Field } from '../ui/Field.tsx';
import { SubmitButton } from '../ui/SubmitButton.tsx';
import { useResetSession } from './useSignedIn.ts';

export function SignupForm() {
  const trpc = useTRPC();
  const reset = useResetSession();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const register = useMutation(trpc.auth.register.mutationOptions({ onSuccess: () => reset('/') }));
  const errors = fieldErrors(register.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    register.mutate({ name, email, password });
  }

  return (
    <form onSubmit={submit} className="stack">
      <h1>Create your account</h1>
      <Field
        label="Your name"
        autoComplete="name"
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <Field
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <Field
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        hint="At least 8 characters."
      />
      <ErrorNote error={register.error} />
      <SubmitButton pending={register.isPending} pendingLabel="Creating account…">
        Create account
      </SubmitButton>
      <p>
        Already have an account? <Link href="/login">Sign in</Link>
      </p>
    </form>
  );
}

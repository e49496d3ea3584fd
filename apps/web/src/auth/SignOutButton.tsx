import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { useResetSession } from './useSignedIn.ts';

export function SignOutButton() {
  const trpc = useTRPC();
  const reset = useResetSession();
  const logout = useMutation(trpc.auth.logout.mutationOptions({ onSettled: () => reset('/login') }));
  return (
    <button type="button" className="link-button" onClick={() => logout.mutate()} disabled={logout.isPending}>
      Sign out
    </button>
  );
}

import { useQuery } from '@tanstack/react-query';
import { errorCode } from '../api/errors.ts';
import { useTRPC } from '../api/trpc.ts';
import { AuthScreens } from '../auth/AuthScreens.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { Workspace } from './Workspace.tsx';

/** Signed out: the sign-in screens. Signed in: the organization the user works in. */
export function App() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  if (me.isPending) return <p className="splash">Loading…</p>;
  if (me.error) {
    if (errorCode(me.error) === 'UNAUTHORIZED') return <AuthScreens />;
    return (
      <main className="centered">
        <ErrorNote error={me.error} title="Hisaabo could not start" />
      </main>
    );
  }
  return <Workspace me={me.data} />;
}

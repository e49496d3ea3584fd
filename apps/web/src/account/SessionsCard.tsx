import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatInstant } from '../ui/format.ts';

/** Where the account is signed in; any other session can be signed out, or all of them at once. */
export function SessionsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.auth.sessions.queryOptions());
  const revoke = useMutation(
    trpc.auth.revokeSession.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.auth.sessions.queryFilter()),
    }),
  );
  const everywhere = useMutation(
    trpc.auth.logoutEverywhere.mutationOptions({
      // This session ended too: back to the sign-in screen with nothing of the account in memory.
      onSuccess: () => window.location.assign('/login'),
    }),
  );
  return (
    <section className="card stack" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Active sessions</h2>
      <ErrorNote error={sessions.error ?? revoke.error ?? everywhere.error} />
      <ul className="session-list">
        {(sessions.data ?? []).map((session) => (
          <li key={session.id} className="session">
            <span>
              <strong>{session.current ? 'This session' : (session.userAgent ?? 'Unknown client')}</strong>
              {' · '}signed in {formatInstant(session.createdAt)}
              {session.ip && ` from ${session.ip}`}
            </span>
            {!session.current && (
              <button
                type="button"
                className="secondary"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate({ sessionId: session.id })}
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <div>
        <button type="button" disabled={everywhere.isPending} onClick={() => everywhere.mutate()}>
          Sign out everywhere
        </button>
      </div>
    </section>
  );
}

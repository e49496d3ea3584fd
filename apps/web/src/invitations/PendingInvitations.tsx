import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { setScope } from '../api/scope.ts';
import { useTRPC } from '../api/trpc.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { humanize } from '../ui/format.ts';

/**
 * Invitations waiting for the signed-in user. Nobody becomes a member of an organization without
 * accepting here; accepting opens the organization (a reload, as when switching), declining drops it.
 */
export function PendingInvitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.invitation.list.queryOptions());
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: (joined) => {
        setScope({ tenantId: joined.id, businessId: null });
        window.location.assign('/dashboard');
      },
    }),
  );
  const decline = useMutation(
    trpc.invitation.decline.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.invitation.list.queryFilter()),
    }),
  );
  const list = invitations.data ?? [];
  if (list.length === 0 && !invitations.error) return null;
  const busy = accept.isPending || decline.isPending;
  return (
    <section className="card stack" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <ErrorNote error={invitations.error ?? accept.error ?? decline.error} />
      <ul className="invitation-list">
        {list.map((invitation) => (
          <li key={invitation.tenant.id} className="invitation">
            <span>
              <strong>{invitation.tenant.name}</strong> invites you as{' '}
              {humanize(invitation.role).toLowerCase()}
              {invitation.invitedBy && ` (from ${invitation.invitedBy.name}, ${invitation.invitedBy.email})`}
            </span>
            <span className="row-actions">
              <button
                type="button"
                disabled={busy}
                aria-label={`Accept the invitation to ${invitation.tenant.name}`}
                onClick={() => accept.mutate({ tenantId: invitation.tenant.id })}
              >
                Accept
              </button>
              <button
                type="button"
                className="secondary"
                disabled={busy}
                aria-label={`Decline the invitation to ${invitation.tenant.name}`}
                onClick={() => decline.mutate({ tenantId: invitation.tenant.id })}
              >
                Decline
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { useWorkspace } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { formatInstant, humanize } from '../ui/format.ts';

/** The organization's invitations nobody has answered yet; owners and admins withdraw them. */
export function SentInvitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { organization } = useWorkspace();
  const invitations = useQuery(trpc.tenant.invitations.queryOptions({ tenantId: organization.id }));
  const cancel = useMutation(
    trpc.tenant.cancelInvitation.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.tenant.invitations.queryFilter()),
    }),
  );
  const list = invitations.data ?? [];
  return (
    <section className="card stack" aria-labelledby="sent-invitations-title">
      <h2 id="sent-invitations-title">Pending invitations</h2>
      <ErrorNote error={invitations.error ?? cancel.error} />
      {invitations.data && list.length === 0 && (
        <p className="hint">No invitation is waiting for an answer.</p>
      )}
      {list.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Invited</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.map((invitation) => (
                <tr key={invitation.email}>
                  <td>{invitation.email}</td>
                  <td>{humanize(invitation.role)}</td>
                  <td>
                    {formatInstant(invitation.invitedAt)}
                    {invitation.invitedBy && ` by ${invitation.invitedBy.name}`}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      disabled={cancel.isPending}
                      aria-label={`Cancel the invitation of ${invitation.email}`}
                      onClick={() => cancel.mutate({ tenantId: organization.id, email: invitation.email })}
                    >
                      Cancel
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

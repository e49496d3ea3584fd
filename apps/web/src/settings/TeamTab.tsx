import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { canManage, useWorkspace } from '../app/workspaceContext.ts';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { AddMemberForm } from './AddMemberForm.tsx';
import { MemberRow } from './MemberRow.tsx';
import { SentInvitations } from './SentInvitations.tsx';

/** Who belongs to the organization; owners and admins invite, change roles and withdraw invitations. */
export function TeamTab() {
  const trpc = useTRPC();
  const { organization, me } = useWorkspace();
  const members = useQuery(trpc.tenant.members.queryOptions({ tenantId: organization.id }));
  const manager = canManage(organization);
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="members-title">
        <h2 id="members-title">Members of {organization.name}</h2>
        <ErrorNote error={members.error} />
        {members.data && (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  {manager && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {members.data.map((member) => (
                  <MemberRow
                    key={member.userId}
                    member={member}
                    editable={manager}
                    isSelf={member.userId === me.user.id}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {manager && <AddMemberForm />}
      {manager && <SentInvitations />}
    </div>
  );
}

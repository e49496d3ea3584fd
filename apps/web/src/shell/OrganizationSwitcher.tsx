import { useMutation, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { setScope } from '../api/scope.ts';
import { useTRPC } from '../api/trpc.ts';
import { Link, usePath } from '../app/router.tsx';
import type { Me, Organization } from '../app/workspaceContext.ts';
import { PendingInvitations } from '../invitations/PendingInvitations.tsx';

/**
 * Which organization the app shows, and the way to a new one (e.g. to restore a backup into, since a
 * restore needs an empty organization), and the invitations waiting for the user. Switching reloads the app so nothing of the previous
 * organization stays in memory.
 */
export function OrganizationSwitcher({ me, organization }: { me: Me; organization: Organization }) {
  const id = useId();
  const path = usePath();
  const trpc = useTRPC();
  const invitations = useQuery(trpc.invitation.list.queryOptions());
  const pending = invitations.data?.length ?? 0;
  // tenant.select also makes it where the user's next session starts.
  const remember = useMutation(trpc.tenant.select.mutationOptions());
  function select(tenantId: string) {
    setScope({ tenantId, businessId: null });
    remember.mutate({ tenantId }, { onSettled: () => window.location.assign('/dashboard') });
  }
  return (
    <span className="org-switcher">
      {me.organizations.length > 1 && (
        <>
          <label htmlFor={id} className="visually-hidden">
            Organization
          </label>
          <select id={id} value={organization.id} onChange={(event) => select(event.target.value)}>
            {me.organizations.map((org) => (
              <option key={org.id} value={org.id}>
                {org.name} ({org.role})
              </option>
            ))}
          </select>
        </>
      )}
      <Link href={`/organizations/new?from=${encodeURIComponent(path)}`}>New organization</Link>
      {pending > 0 && (
        <details>
          <summary>Invitations ({pending})</summary>
          <PendingInvitations />
        </details>
      )}
    </span>
  );
}

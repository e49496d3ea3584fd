import { useId } from 'react';
import { setScope } from '../api/scope.ts';
import { Link, usePath } from '../app/router.tsx';
import type { Me, Organization } from '../app/workspaceContext.ts';

/**
 * Which organization the app shows, and the way to a new one (e.g. to restore a backup into, since a
 * restore needs an empty organization). Switching reloads the app so nothing of the previous
 * organization stays in memory.
 */
export function OrganizationSwitcher({ me, organization }: { me: Me; organization: Organization }) {
  const id = useId();
  const path = usePath();
  function select(tenantId: string) {
    setScope({ tenantId, businessId: null });
    window.location.assign('/dashboard');
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
    </span>
  );
}

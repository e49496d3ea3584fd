import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { getScope, setScope } from '../api/scope.ts';
import { useTRPC } from '../api/trpc.ts';
import { Onboarding } from '../onboarding/Onboarding.tsx';
import { AppShell } from '../shell/AppShell.tsx';
import { usePath } from './router.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { type Me, type Organization, WorkspaceContext, type WorkspaceValue } from './workspaceContext.ts';

/**
 * The organization chosen in this browser, else the session's (where the user last chose to be);
 * never simply the first the user belongs to: without a choice, Get started lists them to pick from.
 */
function chooseOrganization(me: Me): Organization | undefined {
  const remembered = getScope().tenantId;
  return (
    me.organizations.find((org) => org.id === remembered) ??
    me.organizations.find((org) => org.id === me.selectedOrganization?.id)
  );
}

/**
 * Where a signed-in user lands: no organization, or an organization without a business → Get started
 * (or the restore page); otherwise the app.
 */
export function Workspace({ me }: { me: Me }) {
  const path = usePath();
  const organization = chooseOrganization(me);
  if (path === '/organizations/new') return <Onboarding me={me} />;
  // The tRPC link reads the scope on every request, so it must name this organization before the
  // first organization-scoped query below is sent.
  if (organization && getScope().tenantId !== organization.id) {
    setScope({ tenantId: organization.id, businessId: null });
  }
  if (!organization) return <Onboarding me={me} />;
  return <OrganizationWorkspace me={me} organization={organization} />;
}

function OrganizationWorkspace({ me, organization }: { me: Me; organization: Organization }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const businesses = useQuery(trpc.business.list.queryOptions());
  const list = businesses.data ?? [];
  const remembered = getScope().businessId;
  const business = list.find((b) => b.id === remembered) ?? list[0];
  if (business && remembered !== business.id)
    setScope({ tenantId: organization.id, businessId: business.id });

  const value = useMemo<WorkspaceValue | null>(() => {
    if (!business) return null;
    return {
      me,
      organization,
      businesses: list,
      business,
      selectBusiness(businessId) {
        setScope({ tenantId: organization.id, businessId });
        // Every cached list belongs to the previous business.
        queryClient.resetQueries();
      },
      selectOrganization(tenantId) {
        setScope({ tenantId, businessId: null });
        queryClient.resetQueries();
      },
    };
  }, [me, organization, list, business, queryClient]);

  if (businesses.isPending) return <p className="splash">Loading…</p>;
  if (businesses.error) {
    return (
      <main className="centered">
        <ErrorNote error={businesses.error} title="Could not load your businesses" />
      </main>
    );
  }
  if (!value) return <Onboarding me={me} organization={organization} />;
  return (
    <WorkspaceContext.Provider value={value}>
      <AppShell />
    </WorkspaceContext.Provider>
  );
}

import { useEffect } from 'react';
import { navigate, usePath } from '../app/router.tsx';
import type { Me, Organization } from '../app/workspaceContext.ts';
import { OpenOrganization } from '../invitations/OpenOrganization.tsx';
import { PendingInvitations } from '../invitations/PendingInvitations.tsx';
import { RestorePage } from '../restore/RestorePage.tsx';
import { OrganizationSwitcher } from '../shell/OrganizationSwitcher.tsx';
import { GetStartedPage } from './GetStartedPage.tsx';
import { OnboardingFrame } from './OnboardingFrame.tsx';

/**
 * No organization yet, or an organization with no business: Get started, or (owners) the restore
 * page. `/organizations/new` is the same Get started screen for someone who already has one.
 */
export function Onboarding({ me, organization }: { me: Me; organization?: Organization }) {
  const path = usePath();
  const restoring = path === '/restore' && organization?.role === 'owner';
  const stays = restoring || path === '/get-started' || (!organization && path === '/organizations/new');
  useEffect(() => {
    if (!stays) navigate('/get-started', { replace: true });
  }, [stays]);
  return (
    <OnboardingFrame
      who={organization ? `${me.user.email} · ${organization.name}` : me.user.email}
      switcher={organization && <OrganizationSwitcher me={me} organization={organization} />}
    >
      {organization && restoring ? (
        <RestorePage organization={organization} />
      ) : (
        <>
          <PendingInvitations />
          {!organization && path !== '/organizations/new' && <OpenOrganization me={me} />}
          <GetStartedPage organization={organization} back={!organization && me.organizations.length > 0} />
        </>
      )}
    </OnboardingFrame>
  );
}

import { useEffect } from 'react';
import { navigate, usePath } from '../app/router.tsx';
import type { Me, Organization } from '../app/workspaceContext.ts';
import { RestorePage } from '../restore/RestorePage.tsx';
import { OrganizationSwitcher } from '../shell/OrganizationSwitcher.tsx';
import { GetStartedPage } from './GetStartedPage.tsx';
import { OnboardingFrame } from './OnboardingFrame.tsx';

/** An organization with no business yet: Get started, or (owners) the restore page. */
export function Onboarding({ me, organization }: { me: Me; organization: Organization }) {
  const path = usePath();
  const restoring = path === '/restore' && organization.role === 'owner';
  useEffect(() => {
    if (!restoring && path !== '/get-started') navigate('/get-started', { replace: true });
  }, [restoring, path]);
  return (
    <OnboardingFrame
      who={`${me.user.email} · ${organization.name}`}
      switcher={<OrganizationSwitcher me={me} organization={organization} />}
    >
      {restoring ? (
        <RestorePage organization={organization} />
      ) : (
        <GetStartedPage organization={organization} />
      )}
    </OnboardingFrame>
  );
}

import type { ReactNode } from 'react';
import { SignOutButton } from '../auth/SignOutButton.tsx';

/** The bare page around the setup screens: brand, who is signed in, sign out. */
export function OnboardingFrame({
  who,
  switcher,
  children,
}: {
  who: string;
  switcher?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="onboarding">
      <header className="topbar">
        <span className="brand">Hisaabo</span>
        {switcher}
        <span className="topbar-user">
          {who} · <SignOutButton />
        </span>
      </header>
      <main className="onboarding-main">{children}</main>
    </div>
  );
}

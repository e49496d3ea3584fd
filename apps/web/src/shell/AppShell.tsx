import { useState } from 'react';
import { usePath } from '../app/router.tsx';
import { useWorkspace } from '../app/workspaceContext.ts';
import { SignOutButton } from '../auth/SignOutButton.tsx';
import { BusinessSwitcher } from './BusinessSwitcher.tsx';
import { OrganizationSwitcher } from './OrganizationSwitcher.tsx';
import { Routes } from './Routes.tsx';
import { Sidebar } from './Sidebar.tsx';

export function AppShell() {
  const { me, organization } = useWorkspace();
  const path = usePath();
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div className="shell">
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle secondary"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <span className="brand">Hisaabo</span>
        <BusinessSwitcher />
        <OrganizationSwitcher me={me} organization={organization} />
        <span className="topbar-user">
          <span className="who">
            {me.user.name} · {organization.name} ({organization.role})
          </span>{' '}
          <SignOutButton />
        </span>
      </header>
      <Sidebar path={path} open={menuOpen} onNavigate={() => setMenuOpen(false)} />
      <main className="content" id="content">
        <Routes path={path} />
      </main>
    </div>
  );
}

import { Link } from '../app/router.tsx';
import { AccountTab } from './AccountTab.tsx';
import { BusinessTab } from './BusinessTab.tsx';
import { DataTab } from './DataTab.tsx';
import { TeamTab } from './TeamTab.tsx';

const TABS = [
  { id: 'business', label: 'Business' },
  { id: 'team', label: 'Team' },
  { id: 'data', label: 'Data' },
  { id: 'account', label: 'Account' },
] as const;

export function SettingsPage({ tab }: { tab: string }) {
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  return (
    <section className="stack">
      <h1>Settings</h1>
      <nav className="tabs" aria-label="Settings">
        {TABS.map((t) => (
          <Link key={t.id} href={`/settings/${t.id}`} aria-current={t.id === current.id ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {current.id === 'business' && <BusinessTab />}
      {current.id === 'team' && <TeamTab />}
      {current.id === 'data' && <DataTab />}
      {current.id === 'account' && <AccountTab />}
    </section>
  );
}

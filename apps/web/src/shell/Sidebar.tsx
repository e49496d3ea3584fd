import { Link } from '../app/router.tsx';

const SECTIONS = [
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/parties', label: 'Parties' },
  { href: '/items', label: 'Items' },
  { href: '/invoices', label: 'Invoices' },
  { href: '/payments', label: 'Payments' },
  { href: '/expenses', label: 'Expenses' },
  { href: '/bank', label: 'Cash & Bank' },
  { href: '/settings', label: 'Settings' },
] as const;

export function Sidebar({ path, open, onNavigate }: { path: string; open: boolean; onNavigate: () => void }) {
  return (
    <nav id="sidebar" className={open ? 'sidebar open' : 'sidebar'} aria-label="Sections">
      <ul>
        {SECTIONS.map((section) => {
          const current = path === section.href || path.startsWith(`${section.href}/`);
          return (
            <li key={section.href}>
              <Link href={section.href} aria-current={current ? 'page' : undefined} onClick={onNavigate}>
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

import { useEffect } from 'react';
import { matchPath, navigate } from '../app/router.tsx';
import { BankPage } from '../bank/BankPage.tsx';
import { DashboardPage } from '../dashboard/DashboardPage.tsx';
import { ExpenseFormPage } from '../expenses/ExpenseFormPage.tsx';
import { ExpensesPage } from '../expenses/ExpensesPage.tsx';
import { InvoiceFormPage } from '../invoices/InvoiceFormPage.tsx';
import { InvoicesPage } from '../invoices/InvoicesPage.tsx';
import { ItemFormPage } from '../items/ItemFormPage.tsx';
import { ItemsPage } from '../items/ItemsPage.tsx';
import { PartiesPage } from '../parties/PartiesPage.tsx';
import { PartyFormPage } from '../parties/PartyFormPage.tsx';
import { PaymentFormPage } from '../payments/PaymentFormPage.tsx';
import { PaymentsPage } from '../payments/PaymentsPage.tsx';
import { SettingsPage } from '../settings/SettingsPage.tsx';

/** The page for a path inside the app; unknown paths go to the dashboard. */
export function Routes({ path }: { path: string }) {
  const page = pageFor(path);
  useEffect(() => {
    if (!page) navigate('/dashboard', { replace: true });
  }, [page]);
  return page ?? null;
}

function pageFor(path: string) {
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/parties') return <PartiesPage />;
  if (path === '/parties/new') return <PartyFormPage />;
  const party = matchPath('/parties/:id', path);
  if (party) return <PartyFormPage id={party.id} />;
  if (path === '/items') return <ItemsPage />;
  if (path === '/items/new') return <ItemFormPage />;
  const item = matchPath('/items/:id', path);
  if (item) return <ItemFormPage id={item.id} />;
  if (path === '/invoices') return <InvoicesPage />;
  if (path === '/invoices/new') return <InvoiceFormPage />;
  const invoice = matchPath('/invoices/:id', path);
  if (invoice) return <InvoiceFormPage id={invoice.id} />;
  if (path === '/payments') return <PaymentsPage />;
  if (path === '/payments/new') return <PaymentFormPage />;
  const payment = matchPath('/payments/:id', path);
  if (payment) return <PaymentFormPage id={payment.id} />;
  if (path === '/expenses') return <ExpensesPage />;
  if (path === '/expenses/new') return <ExpenseFormPage />;
  const expense = matchPath('/expenses/:id', path);
  if (expense) return <ExpenseFormPage id={expense.id} />;
  if (path === '/bank') return <BankPage />;
  const settings = matchPath('/settings/:tab', path);
  if (path === '/settings' || settings) return <SettingsPage tab={settings?.tab ?? 'business'} />;
  return null;
}

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc.ts';
import { EmptyState } from '../ui/EmptyState.tsx';
import { ErrorNote } from '../ui/ErrorNote.tsx';
import { humanize } from '../ui/format.ts';
import { Money } from '../ui/Money.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { AccountTransactions } from './AccountTransactions.tsx';
import { NewAccountForm } from './NewAccountForm.tsx';

/** Cash and bank accounts with their balances (derived by the server from the transactions). */
export function BankPage() {
  const trpc = useTRPC();
  const accounts = useQuery(trpc.bankAccount.list.queryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const rows = accounts.data ?? [];
  const current = rows.find((account) => account.id === selected) ?? rows[0];
  return (
    <section className="stack">
      <PageHeader
        title="Cash & Bank"
        actions={
          <button type="button" onClick={() => setAdding(!adding)} aria-expanded={adding}>
            New account
          </button>
        }
      />
      {adding && <NewAccountForm onDone={() => setAdding(false)} />}
      <ErrorNote error={accounts.error} />
      {accounts.isSuccess && rows.length === 0 && <EmptyState title="No accounts yet" />}
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Type</th>
                <th scope="col" className="num">
                  Balance
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((account) => (
                <tr key={account.id} aria-selected={account.id === current?.id}>
                  <td>
                    <button type="button" className="link-button" onClick={() => setSelected(account.id)}>
                      {account.name}
                    </button>
                    {account.isDefault && <span className="hint"> (default)</span>}
                  </td>
                  <td>{humanize(account.type)}</td>
                  <td className="num">
                    <Money value={account.balance} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {current && <AccountTransactions accountId={current.id} name={current.name} />}
    </section>
  );
}

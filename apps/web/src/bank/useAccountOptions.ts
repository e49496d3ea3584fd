import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';

/** The business's cash and bank accounts as select options, the default first. */
export function useAccountOptions(): { value: string; label: string }[] {
  const trpc = useTRPC();
  const accounts = useQuery(trpc.bankAccount.list.queryOptions());
  return (accounts.data ?? [])
    .filter((account) => !account.archivedAt)
    .map((account) => ({ value: account.id, label: account.name }));
}

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';

export function usePartyOptions(): { value: string; label: string }[] {
  const trpc = useTRPC();
  const parties = useQuery(trpc.party.list.queryOptions({ limit: 500, offset: 0 }));
  return (parties.data?.parties ?? []).map((party) => ({ value: party.id, label: party.name }));
}

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';

/** Party names by id, for lists whose rows carry only a party id. */
export function usePartyNames(): (partyId: string | null | undefined) => string {
  const trpc = useTRPC();
  const parties = useQuery(trpc.party.list.queryOptions({ limit: 500, offset: 0 }));
  const names = new Map((parties.data?.parties ?? []).map((party) => [party.id, party.name]));
  return (partyId) => (partyId ? (names.get(partyId) ?? '…') : '—');
}

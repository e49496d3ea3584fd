import { type QueryFilters, useQueryClient } from '@tanstack/react-query';
import { navigate } from '../app/router.tsx';

/**
 * The onSuccess of an edit form: forget the cached lists the save changed (one after the other,
 * so the page left to is fetched afresh), then go back to it.
 */
export function useLeaveAfterSave(stale: readonly QueryFilters[], to: string) {
  const queryClient = useQueryClient();
  return async () => {
    for (const filters of stale) await queryClient.invalidateQueries(filters);
    navigate(to);
  };
}

import { useQueryClient } from '@tanstack/react-query';
import { navigate } from '../app/router.tsx';
import { setScope } from '../api/scope.ts';

/** After sign-in, sign-up or sign-out: forget everything cached for the previous user. */
export function useResetSession(): (to: string) => Promise<void> {
  const queryClient = useQueryClient();
  return async (to: string) => {
    setScope({ tenantId: null, businessId: null });
    navigate(to, { replace: true });
    // Drops every cached answer and refetches what is on screen (starting with auth.me).
    await queryClient.resetQueries();
  };
}

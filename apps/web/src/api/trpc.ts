import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@hisaabo/server/api';
import { getScope } from './scope.ts';

export type { AppRouter };
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** The header the server requires on cookie-authenticated mutations and uploads (CSRF guard). */
export const CSRF_HEADER = { 'X-Requested-With': 'hisaabo' } as const;

export function createApiClient(): TRPCClient<AppRouter> {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: '/api/trpc',
        // The server refuses batches of more than 10 calls (MAX_BATCH_CALLS); larger groups are split.
        maxItems: 10,
        headers() {
          const { tenantId, businessId } = getScope();
          return {
            ...CSRF_HEADER,
            ...(tenantId ? { 'x-tenant-id': tenantId } : {}),
            ...(businessId ? { 'x-business-id': businessId } : {}),
          };
        },
      }),
    ],
  });
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 15_000, retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

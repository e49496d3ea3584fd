import { router } from '../trpc.ts';
import { apiKeyRouter } from './apiKey.ts';
import { authRouter } from './auth.ts';
import { tenantRouter } from './tenant.ts';

// One line per sub-router: add an import above and a key below.
export const appRouter = router({
  auth: authRouter,
  apiKey: apiKeyRouter,
  tenant: tenantRouter,
});

export type AppRouter = typeof appRouter;

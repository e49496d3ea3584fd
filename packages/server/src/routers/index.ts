import { router } from '../trpc.ts';
import { apiKeyRouter } from './apiKey.ts';
import { authRouter } from './auth.ts';
import { backupHistoryRouter } from './backupHistory.ts';
import { businessCsvRouter } from './businessCsv.ts';
import { selfExportRouter } from './selfExport.ts';
import { selfImportRouter } from './selfImport.ts';
import { tenantRouter } from './tenant.ts';

// One line per sub-router: add an import above and a key below.
export const appRouter = router({
  auth: authRouter,
  apiKey: apiKeyRouter,
  tenant: tenantRouter,
  selfExport: selfExportRouter,
  selfImport: selfImportRouter,
  backup: backupHistoryRouter,
  business: businessCsvRouter,
});

export type AppRouter = typeof appRouter;

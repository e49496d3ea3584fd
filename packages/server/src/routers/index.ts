import { router } from '../trpc.ts';
import { apiKeyRouter } from './api-key.ts';
import { authRouter } from './auth.ts';
import { backupHistoryRouter } from './backup-history.ts';
import { backupScheduleRouter } from './backup-schedule.ts';
import { bankAccountRouter } from './bank-account.ts';
import { businessRouter } from './business.ts';
import { dashboardRouter } from './dashboard.ts';
import { expenseRouter } from './expense.ts';
import { invitationRouter } from './invitation.ts';
import { invoiceRouter } from './invoice.ts';
import { itemRouter } from './item.ts';
import { partyRouter } from './party.ts';
import { paymentRouter } from './payment.ts';
import { recurringInvoiceRouter } from './recurring-invoice.ts';
import { selfExportRouter } from './self-export.ts';
import { selfImportRouter } from './self-import.ts';
import { storedBackupRouter } from './stored-backup.ts';
import { tenantRouter } from './tenant.ts';

// One line per sub-router: add an import above and a key below.
export const appRouter = router({
  auth: authRouter,
  apiKey: apiKeyRouter,
  tenant: tenantRouter,
  invitation: invitationRouter,
  selfExport: selfExportRouter,
  selfImport: selfImportRouter,
  backup: backupHistoryRouter,
  backupSchedule: backupScheduleRouter,
  storedBackup: storedBackupRouter,
  // The books; `business` also carries the CSV export (exportCsv) of business-csv.ts.
  business: businessRouter,
  party: partyRouter,
  item: itemRouter,
  invoice: invoiceRouter,
  payment: paymentRouter,
  expense: expenseRouter,
  bankAccount: bankAccountRouter,
  recurringInvoice: recurringInvoiceRouter,
  dashboard: dashboardRouter,
});

export type AppRouter = typeof appRouter;

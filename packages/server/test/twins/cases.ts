import { unzipSync } from 'fflate';
import type { TestTenant } from '../support/trpc.ts';
import type { SharedIds, Twins } from './twins.ts';

/**
 * One twin case per read (query) procedure of the app router, keyed by its path. The suite fails
 * for a query procedure that has neither a case here nor an entry in NO_ORGANIZATION_DATA, so a new
 * read cannot ship without being checked against a restored copy. See docs/testing.md.
 */
export interface TwinCase {
  /** The procedure's input in either twin (the ids are shared). */
  input?: (ids: SharedIds, tenant: TestTenant) => unknown;
  /** Turns the answer into what is compared, e.g. downloads what a link points to. */
  read?: (answer: unknown, twins: Twins) => Promise<unknown>;
  /**
   * True when the writes made in the copy must show in the copy's answer. The original's answer
   * must never change, whatever this says.
   */
  copySeesItsWrites: boolean;
}

/** Query procedures that read nothing of one organization, with the reason. */
export const NO_ORGANIZATION_DATA: Record<string, string> = {
  'auth.me': 'the signed-in user and their session only',
  'tenant.list': 'the organizations of the signed-in user, each under its own id (not books data)',
  'auth.sessions': "the signed-in user's own sessions (not books data)",
  'invitation.list': 'invitations addressed to the signed-in user, each under its organization id',
  'storedBackup.restorable':
    'stored backups of every organization the signed-in user owns, each under its organization id',
};

const listAll = { limit: 500 };

export const TWIN_CASES: Record<string, TwinCase> = {
  'apiKey.list': { input: (_, tenant) => ({ tenantId: tenant.id }), copySeesItsWrites: true },
  'tenant.current': { copySeesItsWrites: false },
  'tenant.members': { input: (_, tenant) => ({ tenantId: tenant.id }), copySeesItsWrites: true },
  'tenant.invitations': { input: (_, tenant) => ({ tenantId: tenant.id }), copySeesItsWrites: true },
  'backup.history': { input: (_, tenant) => ({ tenantId: tenant.id }), copySeesItsWrites: false },
  'backupSchedule.get': { input: (_, tenant) => ({ tenantId: tenant.id }), copySeesItsWrites: true },
  // No stored backup is written in either twin: the list must stay empty in both, never cross over.
  'storedBackup.list': { input: (_, tenant) => ({ tenantId: tenant.id }), copySeesItsWrites: false },
  'business.exportCsv': { read: downloadCsv, copySeesItsWrites: true },
  'business.list': { copySeesItsWrites: true },
  'business.get': { copySeesItsWrites: true },
  'business.sequences': { copySeesItsWrites: true },
  'party.list': { input: () => listAll, copySeesItsWrites: true },
  'party.get': { input: (ids) => ({ id: ids.partyId }), copySeesItsWrites: true },
  'item.list': { input: () => listAll, copySeesItsWrites: true },
  'item.get': { input: (ids) => ({ id: ids.itemId }), copySeesItsWrites: true },
  'invoice.list': { input: () => ({ ...listAll, includeDeleted: true }), copySeesItsWrites: true },
  'invoice.get': { input: (ids) => ({ id: ids.invoiceId }), copySeesItsWrites: true },
  'payment.list': { input: () => listAll, copySeesItsWrites: true },
  // The shared payment itself is not written in the copy; its allocations are shared ids.
  'payment.get': { input: (ids) => ({ id: ids.paymentId }), copySeesItsWrites: false },
  'expense.list': { input: () => listAll, copySeesItsWrites: true },
  'expense.listCategories': { copySeesItsWrites: true },
  'bankAccount.list': { copySeesItsWrites: true },
  'bankAccount.get': { input: (ids) => ({ id: ids.bankAccountId }), copySeesItsWrites: true },
  'bankAccount.transactions': {
    input: (ids) => ({ accountId: ids.bankAccountId, limit: 500 }),
    copySeesItsWrites: true,
  },
  'recurringInvoice.list': { copySeesItsWrites: true },
  'recurringInvoice.get': { input: (ids) => ({ id: ids.templateId }), copySeesItsWrites: true },
  'dashboard.summary': { copySeesItsWrites: true },
};

/** The CSV export answers a one-time link: compare the files it downloads, not the link. */
async function downloadCsv(answer: unknown, twins: Twins): Promise<unknown> {
  const { url } = answer as { url: string };
  const response = await fetch(`${twins.server.url}${url}`);
  if (response.status !== 200) throw new Error(`CSV download answered ${response.status}`);
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  return Object.fromEntries(
    Object.entries(files)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]),
  );
}

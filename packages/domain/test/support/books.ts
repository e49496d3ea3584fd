import { type Database, newId, tenants } from '@hisaabo/db';
import { type BusinessContext, createBusiness, type InvoiceInput } from '../../src/index.ts';

/** A new organization with one business; the context the books' rules take. */
export async function newBusiness(database: Database, name = 'Asha Stores') {
  const tenantId = newId();
  await database.db.insert(tenants).values({ id: tenantId, name, slug: `t-${tenantId}` });
  const business = await createBusiness(database.db, { tenantId }, { name });
  return { tenantId, businessId: business.id, userId: null } satisfies BusinessContext;
}

/** What a promise rejects with, or null when it resolves. */
export const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e,
  );

/** A sale invoice to `partyId` dated 2026-04-10. */
export const sale = (
  partyId: string,
  lines: InvoiceInput['lines'],
  extra: Partial<InvoiceInput> = {},
): InvoiceInput => ({
  docType: 'invoice',
  direction: 'sale',
  partyId,
  invoiceDate: '2026-04-10',
  lines,
  ...extra,
});

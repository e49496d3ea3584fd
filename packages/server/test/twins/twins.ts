import { sql } from 'drizzle-orm';
import { queryRows } from '@hisaabo/db';
import type { TestBackend } from '@hisaabo/db/testing';
import { seedDemoOrganization } from '@hisaabo/domain';
import { BACKUP_ENV, exportArchive, requestImport, upload } from '../backup-support.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import {
  addMember,
  type CallOptions,
  createTenant,
  ok,
  registerUser,
  type TestTenant,
  type TestUser,
} from '../support/trpc.ts';

/**
 * Twin organizations: an original and its restored copy on one instance. A restore keeps every id,
 * so the two share every row id and differ only by tenant_id: any read that forgets its tenant
 * filter mixes them up. After the restore the copy is written to on those shared ids.
 */

/** Ids that exist in both twins (the copy's rows are the original's, same ids). */
export interface SharedIds {
  businessId: string;
  partyId: string;
  itemId: string;
  variantId: string;
  invoiceId: string;
  paymentId: string;
  bankAccountId: string;
  otherBankAccountId: string;
  templateId: string;
}

export interface Twins {
  server: TestServer;
  owner: TestUser;
  original: TestTenant;
  copy: TestTenant;
  ids: SharedIds;
  /** Authentication and organization/business headers for a call in one twin. */
  scope(tenant: TestTenant): CallOptions;
  close(): Promise<void>;
}

export async function createTwins(backend: TestBackend): Promise<Twins> {
  const server = await startTestServer(backend, { env: BACKUP_ENV });
  try {
    const owner = await registerUser(server.url, { name: 'Twin Owner' });
    const original = await createTenant(server.url, owner.token, { name: 'Original Books' });
    await seedDemoOrganization(server.database, { tenantId: original.id, invoices: 60, seed: 'twins' });
    const archive = await exportArchive(server.url, owner.token, original.id);
    const copy = await createTenant(server.url, owner.token, { name: 'Restored Copy' });
    const link = await requestImport(server.url, owner.token, copy.id);
    const restored = await upload(server.url, link.data.url, new Uint8Array(archive));
    if (restored.status !== 200) throw new Error(`restore answered ${restored.status}`);
    const ids = await sharedIds(server, original.id);
    const scope = (tenant: TestTenant): CallOptions => ({
      token: owner.token,
      tenantId: tenant.id,
      businessId: ids.businessId,
    });
    return { server, owner, original, copy, ids, scope, close: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** Picks, in the original, rows that every kind of write in the copy can reuse. */
async function sharedIds(server: TestServer, tenantId: string): Promise<SharedIds> {
  const one = async (query: ReturnType<typeof sql>, what: string): Promise<string> => {
    const [row] = await queryRows<{ id: string }>(server.database.db, query);
    if (!row) throw new Error(`the demo organization has no ${what}`);
    return row.id;
  };
  const businessId = await one(
    sql`SELECT id FROM businesses WHERE tenant_id = ${tenantId} ORDER BY id LIMIT 1`,
    'business',
  );
  const invoiceId = await one(
    sql`SELECT id FROM invoices WHERE tenant_id = ${tenantId} AND business_id = ${businessId}
          AND doc_type = 'invoice' AND direction = 'sale' AND deleted_at IS NULL
          AND status <> 'cancelled' AND party_id IS NOT NULL AND total - amount_paid >= 1
        ORDER BY id LIMIT 1`,
    'open sale invoice',
  );
  const variantRow = await queryRows<{ id: string; item_id: string }>(
    server.database.db,
    sql`SELECT v.id, v.item_id FROM item_variants v JOIN items i ON i.tenant_id = v.tenant_id AND i.id = v.item_id
        WHERE v.tenant_id = ${tenantId} AND i.business_id = ${businessId} AND i.deleted_at IS NULL
        ORDER BY v.id LIMIT 1`,
  );
  if (!variantRow[0]) throw new Error('the demo organization has no item variant');
  const accounts = await queryRows<{ id: string }>(
    server.database.db,
    sql`SELECT id FROM bank_accounts WHERE tenant_id = ${tenantId} AND business_id = ${businessId} ORDER BY id LIMIT 2`,
  );
  if (accounts.length < 2) throw new Error('the demo organization has fewer than two accounts');
  return {
    businessId,
    invoiceId,
    partyId: await one(
      sql`SELECT party_id AS id FROM invoices WHERE tenant_id = ${tenantId} AND id = ${invoiceId}`,
      'invoice party',
    ),
    itemId: variantRow[0].item_id,
    variantId: variantRow[0].id,
    paymentId: await one(
      sql`SELECT p.id FROM payments p WHERE p.tenant_id = ${tenantId} AND p.business_id = ${businessId}
            AND EXISTS (SELECT 1 FROM payment_allocations a WHERE a.tenant_id = p.tenant_id AND a.payment_id = p.id)
          ORDER BY p.id LIMIT 1`,
      'allocated payment',
    ),
    bankAccountId: accounts[0]!.id,
    otherBankAccountId: accounts[1]!.id,
    templateId: await one(
      sql`SELECT id FROM recurring_invoice_templates WHERE tenant_id = ${tenantId} AND business_id = ${businessId}
            AND status = 'active' ORDER BY id LIMIT 1`,
      'active recurring template',
    ),
  };
}

/**
 * Writes in the copy only, each on ids the original has too: a payment allocated to the shared
 * invoice (payments, allocations, bank transactions), a new invoice whose lines use the shared item
 * and variant (lines, stock), a variant, a stock adjustment, a transfer, a recurring run, renames,
 * an expense category and expense, a member and an API key; every write leaves its audit rows.
 */
export async function writeInCopy(twins: Twins): Promise<void> {
  const { server, ids, copy, owner } = twins;
  const scope = twins.scope(copy);
  const today = new Date().toISOString().slice(0, 10);
  const write = (path: string, input: unknown) => ok(server.url, path, input, scope);
  await write('payment.create', {
    direction: 'in',
    partyId: ids.partyId,
    mode: 'bank_transfer',
    amount: '1.00',
    paymentDate: today,
    bankAccountId: ids.bankAccountId,
    reference: 'twin-copy',
    allocations: [{ invoiceId: ids.invoiceId, amount: '1.00' }],
  });
  await write('invoice.create', {
    docType: 'invoice',
    direction: 'sale',
    partyId: ids.partyId,
    invoiceDate: today,
    lines: [
      {
        itemId: ids.itemId,
        variantId: ids.variantId,
        description: 'Copy-only line',
        quantity: '1',
        unitPrice: '10.00',
      },
    ],
  });
  await write('item.addVariant', { itemId: ids.itemId, variant: { name: 'Copy-only variant' } });
  await write('item.adjustStock', {
    itemId: ids.itemId,
    variantId: ids.variantId,
    quantityChange: '5',
    reason: 'copy-only count',
    adjustmentDate: today,
  });
  await write('bankAccount.transfer', {
    fromAccountId: ids.bankAccountId,
    toAccountId: ids.otherBankAccountId,
    amount: '2.00',
    transferDate: today,
    description: 'copy-only transfer',
  });
  await write('recurringInvoice.runNow', { id: ids.templateId });
  await write('party.update', { id: ids.partyId, patch: { name: 'Renamed In Copy' } });
  await write('item.update', { id: ids.itemId, patch: { name: 'Item Renamed In Copy' } });
  await write('bankAccount.update', { id: ids.bankAccountId, patch: { name: 'Account Renamed In Copy' } });
  await write('recurringInvoice.update', { id: ids.templateId, patch: { name: 'Template Renamed In Copy' } });
  await write('business.update', { name: 'Business Renamed In Copy' });
  const category = await ok<{ id: string }>(
    server.url,
    'expense.createCategory',
    { name: 'Copy-only' },
    scope,
  );
  await write('expense.create', {
    categoryId: category.id,
    expenseDate: today,
    amount: '3.00',
    mode: 'cash',
  });
  const member = await registerUser(server.url, { name: 'Copy Member' });
  await addMember(server.url, owner.token, copy.id, member, 'viewer');
  await ok(server.url, 'apiKey.create', { tenantId: copy.id, name: 'copy-only key' }, { token: owner.token });
  await ok(
    server.url,
    'tenant.addMember',
    { tenantId: copy.id, email: 'pending-in-copy@example.com', role: 'member' },
    { token: owner.token },
  );
  await ok(
    server.url,
    'backupSchedule.set',
    { tenantId: copy.id, frequency: 'weekly', hour: 3, keep: 5, recipients: [] },
    { token: owner.token },
  );
}

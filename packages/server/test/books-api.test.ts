import { testBackends } from '@hisaabo/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';
import {
  addMember,
  call,
  createBusiness,
  createTenant,
  ok,
  registerUser,
  type TestTenant,
  type TestUser,
} from './support/trpc.ts';

interface Invoice {
  id: string;
  number: string;
  total: string;
  status: string;
  amountPaid: string;
  lines: { total: string }[];
}

for (const backend of testBackends()) {
  describe(`books over HTTP (${backend.kind})`, () => {
    let server: TestServer;
    let owner: TestUser;
    let viewer: TestUser;
    let org: TestTenant;
    let businessA: string;
    let businessB: string;
    const as = (user: TestUser, businessId?: string) => ({ token: user.token, tenantId: org.id, businessId });

    beforeAll(async () => {
      server = await startTestServer(backend);
      owner = await registerUser(server.url, { name: 'Owner' });
      viewer = await registerUser(server.url, { name: 'Viewer' });
      org = await createTenant(server.url, owner.token, { name: 'Books Org' });
      await addMember(server.url, owner.token, org.id, viewer, 'viewer');
      businessA = await createBusiness(server.url, 'Alpha', as(owner));
      businessB = await createBusiness(server.url, 'Beta', as(owner));
    });
    afterAll(() => server?.close());

    it('creates a business with its sequences and default Cash account', async () => {
      const list = await ok<{ id: string; name: string }[]>(
        server.url,
        'business.list',
        undefined,
        as(owner),
      );
      expect(list.map((b) => b.name)).toEqual(['Alpha', 'Beta']);
      const sequences = await ok<{ kind: string; prefix: string; nextNumber: number }[]>(
        server.url,
        'business.sequences',
        undefined,
        as(owner, businessA),
      );
      expect(sequences).toHaveLength(11);
      expect(new Set(sequences.map((s) => s.prefix)).size).toBe(11);
      const accounts = await ok<{ name: string; type: string; isDefault: boolean; balance: string }[]>(
        server.url,
        'bankAccount.list',
        undefined,
        as(owner, businessA),
      );
      expect(accounts).toEqual([
        expect.objectContaining({ name: 'Cash', type: 'cash', isDefault: true, balance: '0.00' }),
      ]);
    });

    it('computes an invoice on the server and takes a payment against it', async () => {
      const party = await ok<{ id: string }>(
        server.url,
        'party.create',
        { type: 'customer', name: 'Ravi' },
        as(owner, businessA),
      );
      const invoice = await ok<Invoice>(
        server.url,
        'invoice.create',
        {
          docType: 'invoice',
          direction: 'sale',
          partyId: party.id,
          invoiceDate: '2026-04-10',
          lines: [
            {
              description: 'Consulting',
              quantity: '2',
              unitPrice: '1180.00',
              taxRate: '18',
              taxInclusive: true,
              discountPercent: '5',
            },
          ],
          roundToRupee: true,
        },
        as(owner, businessA),
      );
      expect([invoice.number, invoice.total, invoice.status, invoice.lines[0]!.total]).toEqual([
        'INV-00001',
        '2242.00',
        'unpaid',
        '2242.00',
      ]);
      const payment = await ok<{ number: string }>(
        server.url,
        'payment.create',
        {
          direction: 'in',
          partyId: party.id,
          mode: 'cash',
          amount: '1000',
          paymentDate: '2026-04-11',
          allocations: [{ invoiceId: invoice.id, amount: '1000' }],
        },
        as(owner, businessA),
      );
      expect(payment.number).toBe('PAY-00001');
      const after = await ok<Invoice & { balance: string }>(
        server.url,
        'invoice.get',
        { id: invoice.id },
        as(owner, businessA),
      );
      expect([after.amountPaid, after.status, after.balance]).toEqual(['1000.00', 'partial', '1242.00']);

      // A rule the domain refuses comes back with its own code and message.
      const over = await call(
        server.url,
        'payment.create',
        {
          direction: 'in',
          mode: 'cash',
          amount: '5000',
          paymentDate: '2026-04-11',
          allocations: [{ invoiceId: invoice.id, amount: '5000' }],
        },
        as(owner, businessA),
      );
      expect(over.status).toBe(400);
      expect(over.error?.message).toBe('allocation 5000.00 to INV-00001 exceeds its balance 1242.00');
      const cancel = await call(server.url, 'invoice.cancel', { id: invoice.id }, as(owner, businessA));
      expect([cancel.status, cancel.error?.data.code]).toEqual([412, 'PRECONDITION_FAILED']);
      // Bad input names the field.
      const bad = await call(
        server.url,
        'invoice.create',
        {
          docType: 'invoice',
          direction: 'sale',
          invoiceDate: '2026-02-30',
          lines: [{ description: 'x', quantity: 1.5, unitPrice: '12.345' }],
        },
        as(owner, businessA),
      );
      expect(bad.status).toBe(400);
      expect(bad.error?.data.fieldErrors).toMatchObject({
        invoiceDate: ['not a calendar date'],
        'lines.0.unitPrice': [expect.stringMatching(/at most 2 decimals/)],
      });
      const summary = await ok<{ receivables: string; cashBalance: string }>(
        server.url,
        'dashboard.summary',
        undefined,
        as(owner, businessA),
      );
      expect(summary.receivables).toBe('1242.00');
    });

    it('keeps businesses of one organization apart', async () => {
      const party = await ok<{ id: string }>(
        server.url,
        'party.create',
        { type: 'supplier', name: 'Only Alpha' },
        as(owner, businessA),
      );
      const fromB = await call(server.url, 'party.get', { id: party.id }, as(owner, businessB));
      expect([fromB.status, fromB.error?.message]).toEqual([404, `party ${party.id} not found`]);
      const listB = await ok<{ parties: { id: string }[] }>(
        server.url,
        'party.list',
        {},
        as(owner, businessB),
      );
      expect(listB.parties.map((p) => p.id)).not.toContain(party.id);
      const invoicesB = await ok<{ total: number }>(server.url, 'invoice.list', {}, as(owner, businessB));
      expect(invoicesB.total).toBe(0);
      const update = await call(
        server.url,
        'party.update',
        { id: party.id, patch: { name: 'Hijacked' } },
        as(owner, businessB),
      );
      expect(update.status).toBe(404);
      const still = await ok<{ name: string }>(
        server.url,
        'party.get',
        { id: party.id },
        as(owner, businessA),
      );
      expect(still.name).toBe('Only Alpha');
      const noHeader = await call(server.url, 'party.list', {}, as(owner));
      expect(noHeader.status).toBe(400);
    });

    it('answers every list without ?input= (no filters: the first page)', async () => {
      for (const path of ['party.list', 'item.list', 'invoice.list', 'payment.list', 'expense.list']) {
        const result = await call(server.url, path, undefined, as(owner, businessA));
        expect([path, result.status]).toEqual([path, 200]);
      }
    });

    it('lets viewers read but not change anything', async () => {
      const parties = await call(server.url, 'party.list', {}, as(viewer, businessA));
      expect(parties.status).toBe(200);
      for (const [path, input] of [
        ['party.create', { type: 'customer', name: 'Sneaky' }],
        ['business.create', { name: 'Sneaky' }],
        [
          'invoice.create',
          {
            docType: 'invoice',
            direction: 'sale',
            invoiceDate: '2026-04-10',
            lines: [{ description: 'x', quantity: '1', unitPrice: '1' }],
          },
        ],
      ] as const) {
        const result = await call(server.url, path, input, as(viewer, businessA));
        expect([path, result.status]).toEqual([path, 403]);
      }
      const after = await ok<{ parties: { name: string }[] }>(
        server.url,
        'party.list',
        { search: 'Sneaky' },
        as(owner, businessA),
      );
      expect(after.parties).toEqual([]);
    });
  });
}

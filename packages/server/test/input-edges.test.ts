import { testBackends } from '@hisaabo/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';
import {
  call,
  createBusiness,
  ok,
  registerOwner,
  type TestTenant,
  type TestUser,
  uniqueSuffix,
} from './support/trpc.ts';

for (const backend of testBackends()) {
  describe(`odd but harmless input gets a clear answer, never a 500 (${backend.kind})`, () => {
    let server: TestServer;
    let owner: TestUser;
    let org: TestTenant;
    let businessId: string;
    const as = () => ({ token: owner.token, tenantId: org.id, businessId });

    beforeAll(async () => {
      server = await startTestServer(backend);
      ({ owner, org } = await registerOwner(server.url, {
        organization: { slug: `rt-a-${uniqueSuffix()}` },
      }));
      businessId = await createBusiness(server.url, 'Edge Co', { token: owner.token, tenantId: org.id });
    });
    afterAll(() => server?.close());

    it('a malformed session cookie is no session: 401, not 500', async () => {
      const me = await call(server.url, 'auth.me', undefined, { cookie: 'hisaabo_session=%E0%A4%A' });
      expect(me.status).toBe(401);
      // A public call with the same cookie still works.
      const login = await call(
        server.url,
        'auth.login',
        { email: owner.email, password: owner.password },
        { cookie: 'hisaabo_session=%E0%A4%A' },
      );
      expect(login.status).toBe(200);
    });

    it('x-tenant-id names an organization by its slug in any case', async () => {
      const list = await call<{ name: string }[]>(server.url, 'business.list', undefined, {
        token: owner.token,
        tenantId: org.slug.toUpperCase(),
      });
      expect(list.status).toBe(200);
      expect(list.data.map((b) => b.name)).toEqual(['Edge Co']);
    });

    it('a year-0000 date answers 400 naming the field', async () => {
      const refused = await call(
        server.url,
        'expense.create',
        { expenseDate: '0000-01-01', amount: '10.00' },
        as(),
      );
      expect(refused.status).toBe(400);
      expect(refused.error?.message).toMatch(/expenseDate: the year must be 0001 or later/);
      const accepted = await call(
        server.url,
        'expense.create',
        { expenseDate: '0001-01-01', amount: '10.00' },
        as(),
      );
      expect(accepted.status).toBe(200);
    });

    it('a lone surrogate or a value nested over 64 levels answers 400 instead of being stored changed', async () => {
      const lone = await call(server.url, 'party.create', { type: 'customer', name: 'Zo\ud800' }, as());
      expect(lone.status).toBe(400);
      expect(lone.error?.message).toBe('input: a string holds a lone UTF-16 surrogate (not valid Unicode)');
      let settings: Record<string, unknown> = {};
      for (let i = 0; i < 100; i++) settings = { a: settings };
      const deep = await call(server.url, 'business.update', { settings }, as());
      expect(deep.status).toBe(400);
      expect(deep.error?.message).toMatch(/^input: nested deeper than the maximum of 64 levels/);
      const parties = await ok<{ items?: unknown[] } | unknown[]>(server.url, 'party.list', {}, as());
      expect(JSON.stringify(parties)).not.toContain('\ufffd');
    });

    it('recurring template dates outside 1900-01-01 … 9999-12-31 answer 400; the catch-up is shown', async () => {
      const party = await ok<{ id: string }>(
        server.url,
        'party.create',
        { type: 'customer', name: 'Client' },
        as(),
      );
      const template = (startDate: string, endDate?: string) => ({
        partyId: party.id,
        name: 'Retainer',
        frequency: 'monthly',
        startDate,
        endDate,
        lineItems: [{ description: 'Retainer', quantity: '1', unitPrice: '100.00' }],
      });
      const tooEarly = await call(server.url, 'recurringInvoice.create', template('1899-12-31'), as());
      expect(tooEarly.status).toBe(400);
      expect(tooEarly.error?.message).toBe(
        "startDate: a recurring template's dates must be between 1900-01-01 and 9999-12-31",
      );
      const yearZero = await call(
        server.url,
        'recurringInvoice.create',
        template('2026-01-01', '0000-01-01'),
        as(),
      );
      expect(yearZero.status).toBe(400);
      expect(yearZero.error?.message).toMatch(/^endDate: /);
      const created = await ok<{ id: string }>(
        server.url,
        'recurringInvoice.create',
        template('1900-01-01'),
        as(),
      );
      const shown = await ok<{ catchUp: { limit: number; dueRuns: number; skippedPeriods: number } }>(
        server.url,
        'recurringInvoice.get',
        { id: created.id },
        as(),
      );
      expect(shown.catchUp.limit).toBe(24);
      expect(shown.catchUp.dueRuns).toBeGreaterThan(1500);
      expect(shown.catchUp.skippedPeriods).toBe(shown.catchUp.dueRuns - 24);
    });
  });
}

import { auditLog, type Database, newId, recurringInvoiceTemplates, tenants } from '@hisaabo/db';
import { type TestDatabase, testBackends } from '@hisaabo/db/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BusinessContext,
  createBusiness,
  createParty,
  createRecurringTemplate,
  listRecurringTemplates,
  RECURRING_CATCH_UP_RUNS,
  type RecurringTemplateInput,
  runDueRecurringInvoices,
} from '../src/index.ts';

const TODAY = '2026-03-30';

async function organizationWithTemplate(
  database: Database,
  template: Pick<RecurringTemplateInput, 'frequency' | 'startDate'>,
) {
  const tenantId = newId();
  await database.db.insert(tenants).values({ id: tenantId, name: 'Org', slug: `r-${tenantId}` });
  const business = await createBusiness(database.db, { tenantId }, { name: 'Org Co' });
  const ctx: BusinessContext = { tenantId, businessId: business.id, userId: null };
  const party = await createParty(database.db, ctx, { type: 'customer', name: 'Client' });
  const created = await createRecurringTemplate(database.db, ctx, {
    ...template,
    partyId: party.id,
    name: `${template.frequency} since ${template.startDate}`,
    lineItems: [{ description: 'Service', quantity: '1', unitPrice: '100.00' }],
  });
  return { ctx, templateId: created.id };
}

/** Runs passes until nothing is due; returns every run date generated per organization. */
async function drain(database: Database): Promise<Map<string, string[]>> {
  const byTenant = new Map<string, string[]>();
  const tenantOf = new Map<string, string>();
  for (const t of await database.db.select().from(recurringInvoiceTemplates)) tenantOf.set(t.id, t.tenantId);
  for (let pass = 0; pass < 50; pass++) {
    const outcomes = await runDueRecurringInvoices(database.db, { today: TODAY });
    if (outcomes.length === 0) return byTenant;
    for (const o of outcomes) {
      const tenantId = tenantOf.get(o.templateId)!;
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), o.runDate]);
    }
  }
  throw new Error('the scheduler never ran out of due runs');
}

for (const backend of testBackends()) {
  describe(`recurring scheduler: fair between organizations, bounded catch-up (${backend.kind})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await backend.create();
    });
    afterAll(() => database?.close());

    it("a template starting long ago does not delay another organization's due run in the same pass", async () => {
      const old = await organizationWithTemplate(database, { frequency: 'daily', startDate: '1900-01-01' });
      const other = await organizationWithTemplate(database, {
        frequency: 'monthly',
        startDate: '2026-03-01',
      });
      // A pass too small for the old template's backlog: the other organization still gets its turn.
      const outcomes = await runDueRecurringInvoices(database.db, {
        today: TODAY,
        maxRuns: 10,
        perOrganization: 4,
      });
      const ofOther = outcomes.filter((o) => o.templateId === other.templateId);
      expect(ofOther).toMatchObject([{ runDate: '2026-03-01', status: 'succeeded' }]);
      // The backlog is served in the same pass, up to its share and never before the other's first run.
      const ofOld = outcomes.filter((o) => o.templateId === old.templateId);
      expect(ofOld).toHaveLength(4);
      expect(outcomes.findIndex((o) => o.templateId === other.templateId)).toBeLessThanOrEqual(1);
      await drain(database);
    });

    it(`catches up the latest ${RECURRING_CATCH_UP_RUNS} missed runs and skips older periods, telling the owner`, async () => {
      const daily = await organizationWithTemplate(database, { frequency: 'daily', startDate: '1900-01-01' });
      const monthly = await organizationWithTemplate(database, {
        frequency: 'monthly',
        startDate: '2020-01-31',
      });
      const dueDaily =
        (Date.parse(`${TODAY}T00:00:00Z`) - Date.parse('1900-01-01T00:00:00Z')) / 86_400_000 + 1;
      // Monthly on the 31st: January 2020 to February 2026 (31 March is after today) is 74 runs.
      const [shownDaily] = await listRecurringTemplates(database.db, daily.ctx, TODAY);
      expect(shownDaily!.catchUp).toEqual({ limit: 24, dueRuns: dueDaily, skippedPeriods: dueDaily - 24 });
      const [shownMonthly] = await listRecurringTemplates(database.db, monthly.ctx, TODAY);
      expect(shownMonthly!.catchUp).toEqual({ limit: 24, dueRuns: 74, skippedPeriods: 50 });

      const generated = await drain(database);
      const dailyRuns = generated.get(daily.ctx.tenantId)!.sort();
      expect(dailyRuns).toHaveLength(24);
      expect(dailyRuns[0]).toBe('2026-03-07');
      expect(dailyRuns.at(-1)).toBe(TODAY);
      const monthlyRuns = generated.get(monthly.ctx.tenantId)!.sort();
      expect(monthlyRuns).toHaveLength(24);
      expect([monthlyRuns[0], monthlyRuns[1], monthlyRuns.at(-1)]).toEqual([
        '2024-03-31',
        '2024-04-30',
        '2026-02-28',
      ]);

      const skips = await database.db
        .select({ details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, daily.ctx.tenantId), eq(auditLog.action, 'runs_skipped')));
      expect(skips.map((s) => s.details)).toEqual([
        { from: '1900-01-01', before: '2026-03-07', skipped: dueDaily - 24, kept: 24 },
      ]);
      const [after] = await listRecurringTemplates(database.db, daily.ctx, TODAY);
      expect(after).toMatchObject({ nextRunDate: '2026-03-31', catchUp: { dueRuns: 0, skippedPeriods: 0 } });
    });
  });
}

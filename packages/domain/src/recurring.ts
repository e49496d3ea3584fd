import {
  newId,
  queryRows,
  recurringInvoiceRuns,
  recurringInvoiceTemplates,
  type TemplateLine,
} from '@hisaabo/db';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { writeAudit } from './audit.ts';
import { findBusinessRow, lockBusinessRow } from './business-row.ts';
import { type BusinessContext, type Executor, inTransaction, type Tx, todayUtc } from './context.ts';
import { addDays, nextOccurrence } from './dates.ts';
import { badRequest, DomainError } from './errors.ts';
import { createInvoice } from './invoice.ts';
import { requireLineItems } from './item.ts';
import { requireParty } from './party.ts';
import type { RecurringTemplateInput } from './schemas.ts';

export type RecurringTemplate = typeof recurringInvoiceTemplates.$inferSelect;

const scope = (ctx: BusinessContext) =>
  and(
    eq(recurringInvoiceTemplates.tenantId, ctx.tenantId),
    eq(recurringInvoiceTemplates.businessId, ctx.businessId),
  );

function toTemplateLines(lines: RecurringTemplateInput['lineItems']): TemplateLine[] {
  return lines.map((l) => ({
    itemId: l.itemId ?? null,
    variantId: l.variantId ?? null,
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    ...(l.discountPercent !== undefined ? { discountPercent: l.discountPercent } : {}),
    ...(l.taxRate !== undefined ? { taxRate: l.taxRate } : {}),
    ...(l.taxInclusive !== undefined ? { taxInclusive: l.taxInclusive } : {}),
  }));
}

export async function createRecurringTemplate(
  executor: Executor,
  ctx: BusinessContext,
  input: RecurringTemplateInput,
) {
  return inTransaction(executor, async (tx) => {
    await requireParty(tx, ctx, input.partyId);
    await requireLineItems(tx, ctx, input.lineItems);
    if (input.endDate && input.endDate < input.startDate) throw badRequest('end date is before start date');
    const [row] = await tx
      .insert(recurringInvoiceTemplates)
      .values({
        tenantId: ctx.tenantId,
        businessId: ctx.businessId,
        partyId: input.partyId,
        name: input.name,
        docType: input.docType ?? 'invoice',
        frequency: input.frequency,
        intervalCount: input.intervalCount ?? 1,
        startDate: input.startDate,
        endDate: input.endDate ?? null,
        nextRunDate: input.startDate,
        dueInDays: input.dueInDays ?? 0,
        lineItems: toTemplateLines(input.lineItems),
        notes: input.notes ?? null,
      })
      .returning();
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'create',
      entityType: 'recurring_invoice_template',
      entityId: row!.id,
      details: { name: row!.name, frequency: row!.frequency },
    });
    return row!;
  });
}

export function listRecurringTemplates(executor: Executor, ctx: BusinessContext) {
  return executor
    .select()
    .from(recurringInvoiceTemplates)
    .where(scope(ctx))
    .orderBy(asc(recurringInvoiceTemplates.name), asc(recurringInvoiceTemplates.id));
}

export async function getRecurringTemplate(executor: Executor, ctx: BusinessContext, templateId: string) {
  const template = await findBusinessRow(
    executor,
    recurringInvoiceTemplates,
    ctx,
    templateId,
    'recurring template',
  );
  const runs = await executor
    .select()
    .from(recurringInvoiceRuns)
    .where(
      and(eq(recurringInvoiceRuns.tenantId, ctx.tenantId), eq(recurringInvoiceRuns.templateId, templateId)),
    )
    .orderBy(desc(recurringInvoiceRuns.runDate))
    .limit(100);
  return { ...template, runs };
}

const lockTemplate = (tx: Tx, ctx: BusinessContext, templateId: string) =>
  lockBusinessRow(tx, recurringInvoiceTemplates, ctx, templateId, 'recurring template');

/** Writes a change to a template the caller has locked, with its audit entry. */
async function changeTemplate(
  tx: Tx,
  ctx: BusinessContext,
  templateId: string,
  change: PgUpdateSetSource<typeof recurringInvoiceTemplates>,
  action: string,
  details?: Record<string, unknown>,
) {
  const [row] = await tx
    .update(recurringInvoiceTemplates)
    .set({ ...change, updatedAt: sql`now()` })
    .where(and(scope(ctx), eq(recurringInvoiceTemplates.id, templateId)))
    .returning();
  await writeAudit(tx, ctx, {
    businessId: ctx.businessId,
    action,
    entityType: 'recurring_invoice_template',
    entityId: templateId,
    details,
  });
  return row!;
}

const occurrenceAfter = (template: RecurringTemplate, date: string) =>
  nextOccurrence(date, template.frequency, template.intervalCount, template.startDate);

const endsBefore = (template: RecurringTemplate, date: string) =>
  template.endDate !== null && date > template.endDate;

/** Changes what future runs produce; the schedule's next date stays unless the template is restarted. */
export async function updateRecurringTemplate(
  executor: Executor,
  ctx: BusinessContext,
  templateId: string,
  input: Partial<Omit<RecurringTemplateInput, 'startDate'>>,
) {
  return inTransaction(executor, async (tx) => {
    const current = await lockTemplate(tx, ctx, templateId);
    if (input.partyId) await requireParty(tx, ctx, input.partyId);
    if (input.lineItems) await requireLineItems(tx, ctx, input.lineItems);
    if (input.endDate && input.endDate < current.startDate) throw badRequest('end date is before start date');
    const { lineItems, ...rest } = input;
    return changeTemplate(
      tx,
      ctx,
      templateId,
      { ...rest, ...(lineItems ? { lineItems: toTemplateLines(lineItems) } : {}) },
      'update',
      { fields: Object.keys(input) },
    );
  });
}

export async function pauseRecurringTemplate(executor: Executor, ctx: BusinessContext, templateId: string) {
  return inTransaction(executor, async (tx) => {
    const current = await lockTemplate(tx, ctx, templateId);
    if (current.status !== 'active')
      throw new DomainError('PRECONDITION_FAILED', `template is ${current.status}, not active`);
    return changeTemplate(tx, ctx, templateId, { status: 'paused' }, 'pause');
  });
}

/** Resumes a paused template; runs missed while paused are skipped, not billed in a burst. */
export async function resumeRecurringTemplate(
  executor: Executor,
  ctx: BusinessContext,
  templateId: string,
  today = todayUtc(),
) {
  return inTransaction(executor, async (tx) => {
    const current = await lockTemplate(tx, ctx, templateId);
    if (current.status !== 'paused')
      throw new DomainError('PRECONDITION_FAILED', `template is ${current.status}, not paused`);
    let next = current.nextRunDate;
    while (next < today) next = occurrenceAfter(current, next);
    const status = endsBefore(current, next) ? 'ended' : 'active';
    return changeTemplate(tx, ctx, templateId, { status, nextRunDate: next }, 'resume', {
      nextRunDate: next,
    });
  });
}

export interface RunOutcome {
  templateId: string;
  runDate: string;
  status: 'succeeded' | 'failed' | 'already_ran';
  invoiceId: string | null;
  error?: string;
}

/**
 * Generates the template's document for `runDate`, at most once: the run row's unique
 * (tenant_id, template_id, run_date) makes a second attempt a no-op even from another process.
 * A failure is recorded on the run (and the schedule moves on) instead of retrying forever.
 */
async function runTemplate(tx: Tx, template: RecurringTemplate, runDate: string): Promise<RunOutcome> {
  const ctx: BusinessContext = { tenantId: template.tenantId, businessId: template.businessId, userId: null };
  const claimed = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO recurring_invoice_runs (tenant_id, id, template_id, run_date, status)
        VALUES (${template.tenantId}, ${newId()}, ${template.id}, ${runDate}, 'succeeded')
        ON CONFLICT (tenant_id, template_id, run_date) DO NOTHING RETURNING id`,
  );
  const runId = claimed[0]?.id;
  if (!runId) return { templateId: template.id, runDate, status: 'already_ran', invoiceId: null };
  try {
    const invoice = await inTransaction(tx, (savepoint) =>
      createInvoice(
        savepoint,
        ctx,
        {
          docType: template.docType,
          direction: 'sale',
          partyId: template.partyId,
          invoiceDate: runDate,
          dueDate: addDays(runDate, template.dueInDays),
          notes: template.notes,
          lines: template.lineItems.map((l) => ({
            ...l,
            discountPercent: l.discountPercent,
            taxRate: l.taxRate,
          })),
        },
        { recurringTemplateId: template.id },
      ),
    );
    await tx
      .update(recurringInvoiceRuns)
      .set({ invoiceId: invoice.id })
      .where(and(eq(recurringInvoiceRuns.tenantId, ctx.tenantId), eq(recurringInvoiceRuns.id, runId)));
    return { templateId: template.id, runDate, status: 'succeeded', invoiceId: invoice.id };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await tx
      .update(recurringInvoiceRuns)
      .set({ status: 'failed', error: message })
      .where(and(eq(recurringInvoiceRuns.tenantId, ctx.tenantId), eq(recurringInvoiceRuns.id, runId)));
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'run_failed',
      entityType: 'recurring_invoice_template',
      entityId: template.id,
      details: { runDate, error: message },
    });
    return { templateId: template.id, runDate, status: 'failed', invoiceId: null, error: message };
  }
}

/** Records a run: the next one is due on `next`, unless that is past the template's end. */
async function scheduleNextRun(tx: Tx, template: RecurringTemplate, next: string) {
  await tx
    .update(recurringInvoiceTemplates)
    .set({
      nextRunDate: next,
      status: endsBefore(template, next) ? 'ended' : template.status,
      lastRunAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(recurringInvoiceTemplates.tenantId, template.tenantId),
        eq(recurringInvoiceTemplates.id, template.id),
      ),
    );
}

/** Due templates looked at per claim attempt (the first one no other process holds is claimed). */
const CLAIM_CANDIDATES = 50;

/**
 * Claims one due template: lists due (tenant_id, id) pairs without a lock, then locks the first one no
 * other transaction holds with a query naming its tenant_id. Row locks are taken only by queries
 * routed to one organization, which Citus requires (it refuses FOR UPDATE across shards); on one
 * PostgreSQL it behaves as a single FOR UPDATE SKIP LOCKED.
 */
async function claimDueTemplate(tx: Tx, today: string): Promise<{ tenantId: string; id: string } | null> {
  const t = recurringInvoiceTemplates;
  const isDue = and(eq(t.status, 'active'), sql`${t.nextRunDate} <= ${today}`);
  const candidates = await tx
    .select({ id: t.id, tenantId: t.tenantId })
    .from(t)
    .where(
      and(isDue, sql`EXISTS (SELECT 1 FROM tenants ta WHERE ta.id = ${t.tenantId} AND ta.status = 'active')`),
    )
    .orderBy(asc(t.nextRunDate), asc(t.id))
    .limit(CLAIM_CANDIDATES);
  for (const candidate of candidates) {
    const [claimed] = await tx
      .select({ id: t.id, tenantId: t.tenantId })
      .from(t)
      // Re-checked under the lock: another process may have run it since the list was read.
      .where(and(eq(t.tenantId, candidate.tenantId), eq(t.id, candidate.id), isDue))
      .for('update', { skipLocked: true });
    if (claimed) return claimed;
  }
  return null;
}

/**
 * One scheduler pass over every organization: each due run is claimed with FOR UPDATE SKIP LOCKED in
 * its own transaction, so several server processes share the work and none generates a run twice.
 * Missed periods are caught up one run each. Returns what was generated.
 */
export async function runDueRecurringInvoices(
  executor: Executor,
  options: { today?: string; maxRuns?: number } = {},
): Promise<RunOutcome[]> {
  const today = options.today ?? todayUtc();
  const maxRuns = options.maxRuns ?? 1000;
  const outcomes: RunOutcome[] = [];
  while (outcomes.length < maxRuns) {
    const outcome = await executor.transaction(async (tx) => {
      const due = await claimDueTemplate(tx, today);
      if (!due) return null;
      const [template] = await tx
        .select()
        .from(recurringInvoiceTemplates)
        .where(
          and(eq(recurringInvoiceTemplates.tenantId, due.tenantId), eq(recurringInvoiceTemplates.id, due.id)),
        );
      const result = await runTemplate(tx, template!, template!.nextRunDate);
      await scheduleNextRun(tx, template!, occurrenceAfter(template!, template!.nextRunDate));
      return result;
    });
    if (!outcome) break;
    outcomes.push(outcome);
  }
  return outcomes;
}

/** Generates today's document now; the schedule moves on if today was (or was past) its next run. */
export async function runRecurringTemplateNow(
  executor: Executor,
  ctx: BusinessContext,
  templateId: string,
  today = todayUtc(),
) {
  return inTransaction(executor, async (tx) => {
    const template = await lockTemplate(tx, ctx, templateId);
    if (template.status === 'ended') throw new DomainError('PRECONDITION_FAILED', 'template has ended');
    const outcome = await runTemplate(tx, template, today);
    if (outcome.status === 'already_ran')
      throw new DomainError('CONFLICT', `template already ran for ${today}`);
    if (template.nextRunDate <= today) {
      let next = template.nextRunDate;
      while (next <= today) next = occurrenceAfter(template, next);
      await scheduleNextRun(tx, template, next);
    }
    await writeAudit(tx, ctx, {
      businessId: ctx.businessId,
      action: 'run_now',
      entityType: 'recurring_invoice_template',
      entityId: templateId,
      details: { runDate: today, status: outcome.status },
    });
    return outcome;
  });
}

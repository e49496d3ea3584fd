import {
  newId,
  queryRows,
  recurringInvoiceRuns,
  recurringInvoiceTemplates,
  TEMPLATE_DATE_RANGE,
  type TemplateLine,
} from '@hisaabo/db';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { writeAudit } from './audit.ts';
import { findBusinessRow, lockBusinessRow } from './business-row.ts';
import { type BusinessContext, type Executor, inTransaction, type Tx, todayUtc } from './context.ts';
import { addDays, daysBetween, nextOccurrence } from './dates.ts';
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

/**
 * What the scheduler does with the template's missed runs, shown to the owner: of `dueRuns` runs due
 * by today, it generates at most `limit` (the latest) and skips `skippedPeriods` older ones.
 */
export interface CatchUp {
  limit: number;
  dueRuns: number;
  skippedPeriods: number;
}

export function catchUpOf(template: RecurringTemplate, today = todayUtc()): CatchUp {
  if (template.status !== 'active') return { limit: RECURRING_CATCH_UP_RUNS, dueRuns: 0, skippedPeriods: 0 };
  const { due, skipped } = catchUpWindow(template, lastDueBy(template, today));
  return { limit: RECURRING_CATCH_UP_RUNS, dueRuns: due, skippedPeriods: skipped };
}

export async function listRecurringTemplates(executor: Executor, ctx: BusinessContext, today = todayUtc()) {
  const rows = await executor
    .select()
    .from(recurringInvoiceTemplates)
    .where(scope(ctx))
    .orderBy(asc(recurringInvoiceTemplates.name), asc(recurringInvoiceTemplates.id));
  return rows.map((row) => ({ ...row, catchUp: catchUpOf(row, today) }));
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
  return { ...template, catchUp: catchUpOf(template), runs };
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

const occurrenceAfter = (
  template: Pick<RecurringTemplate, 'frequency' | 'intervalCount' | 'startDate'>,
  date: string,
) => nextOccurrence(date, template.frequency, template.intervalCount, template.startDate);

/** The schedule is over at `date`: past its end, or past the last date a template may hold. */
const endsBefore = (template: RecurringTemplate, date: string) =>
  beyondLastDate(date) || (template.endDate !== null && date > template.endDate);

/** Past TEMPLATE_DATE_RANGE's end (a year past 9999 is written with a sign and 6 digits). */
const beyondLastDate = (date: string) => date.length !== 10 || date > TEMPLATE_DATE_RANGE.max;

/** The date to store as the next run: an ended schedule keeps its last one when the next has no form. */
const storableNext = (template: RecurringTemplate, next: string) =>
  beyondLastDate(next) ? template.nextRunDate : next;

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
    return changeTemplate(
      tx,
      ctx,
      templateId,
      { status, nextRunDate: storableNext(current, next) },
      'resume',
      {
        nextRunDate: next,
      },
    );
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
      nextRunDate: storableNext(template, next),
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

/** Missed runs a template far behind still gets; the periods before them are skipped. */
export const RECURRING_CATCH_UP_RUNS = 24;
/** Runs one organization may take in one scheduler pass, so it never holds up the others. */
export const RECURRING_RUNS_PER_ORGANIZATION_PER_PASS = 25;

export interface RecurringPassOptions {
  /** The business date runs are due by (UTC today by default). */
  today?: string;
  /** Runs in the whole pass. */
  maxRuns?: number;
  /** Runs of one organization in the pass. */
  perOrganization?: number;
}

/**
 * One scheduler pass over every organization, fair between them: organizations take turns, one run
 * each per round, up to `perOrganization` runs each, the least recently served first, so one
 * organization's backlog never delays another's due invoices. Each run is claimed in its own
 * transaction with FOR UPDATE SKIP LOCKED on a query naming one organization, so several server
 * processes share the work (on Citus each claim stays on one shard group) and none generates a run
 * twice. A template far behind catches up its latest RECURRING_CATCH_UP_RUNS runs only.
 */
export async function runDueRecurringInvoices(
  executor: Executor,
  options: RecurringPassOptions = {},
): Promise<RunOutcome[]> {
  const today = options.today ?? todayUtc();
  const maxRuns = options.maxRuns ?? 1000;
  const perOrganization = options.perOrganization ?? RECURRING_RUNS_PER_ORGANIZATION_PER_PASS;
  const outcomes: RunOutcome[] = [];
  const taken = new Map<string, number>();
  let turn = await organizationsWithDueRuns(executor, today, maxRuns);
  while (turn.length > 0 && outcomes.length < maxRuns) {
    const again: string[] = [];
    for (const tenantId of turn) {
      if (outcomes.length >= maxRuns) break;
      const outcome = await runNextDue(executor, tenantId, today);
      if (!outcome) continue;
      outcomes.push(outcome);
      const count = (taken.get(tenantId) ?? 0) + 1;
      taken.set(tenantId, count);
      if (count < perOrganization) again.push(tenantId);
    }
    turn = again;
  }
  return outcomes;
}

/** Active organizations with a due run, the one whose templates ran least recently first. */
async function organizationsWithDueRuns(executor: Executor, today: string, limit: number) {
  const rows = await queryRows<{ tenant_id: string }>(
    executor,
    sql`SELECT r.tenant_id FROM recurring_invoice_templates r
        JOIN tenants t ON t.id = r.tenant_id AND t.status = 'active'
        WHERE r.status = 'active' AND r.next_run_date <= ${today}
        GROUP BY r.tenant_id
        ORDER BY max(r.last_run_at) NULLS FIRST, r.tenant_id
        LIMIT ${limit}`,
  );
  return rows.map((r) => r.tenant_id);
}

/** Claims and generates one organization's most overdue run, or null when it has none left. */
function runNextDue(executor: Executor, tenantId: string, today: string): Promise<RunOutcome | null> {
  return executor.transaction(async (tx) => {
    const [due] = await tx
      .select()
      .from(recurringInvoiceTemplates)
      .where(
        and(
          eq(recurringInvoiceTemplates.tenantId, tenantId),
          eq(recurringInvoiceTemplates.status, 'active'),
          sql`${recurringInvoiceTemplates.nextRunDate} <= ${today}`,
        ),
      )
      .orderBy(asc(recurringInvoiceTemplates.nextRunDate), asc(recurringInvoiceTemplates.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!due) return null;
    const template = await skipOldPeriods(tx, due, today);
    const result = await runTemplate(tx, template, template.nextRunDate);
    await scheduleNextRun(tx, template, occurrenceAfter(template, template.nextRunDate));
    return result;
  });
}

/**
 * The catch-up policy: of the runs due by `today` (or the template's end), only the latest
 * RECURRING_CATCH_UP_RUNS are generated; the schedule moves past the older ones, with an audit entry
 * naming the periods skipped. A template's dates start in 1900 at the earliest, so this walk is short.
 */
async function skipOldPeriods(
  tx: Tx,
  template: RecurringTemplate,
  today: string,
): Promise<RecurringTemplate> {
  const { firstKept, skipped } = catchUpWindow(template, lastDueBy(template, today));
  if (skipped === 0) return template;
  const ctx: BusinessContext = { tenantId: template.tenantId, businessId: template.businessId, userId: null };
  await tx
    .update(recurringInvoiceTemplates)
    .set({ nextRunDate: firstKept })
    .where(
      and(
        eq(recurringInvoiceTemplates.tenantId, template.tenantId),
        eq(recurringInvoiceTemplates.id, template.id),
      ),
    );
  await writeAudit(tx, ctx, {
    businessId: template.businessId,
    action: 'runs_skipped',
    entityType: 'recurring_invoice_template',
    entityId: template.id,
    details: { from: template.nextRunDate, before: firstKept, skipped, kept: RECURRING_CATCH_UP_RUNS },
  });
  return { ...template, nextRunDate: firstKept };
}

/** The last date a run can be due on by `today`: today, or the template's end when that is earlier. */
const lastDueBy = (template: RecurringTemplate, today: string) =>
  template.endDate !== null && template.endDate < today ? template.endDate : today;

/** Where catching up starts when the runs from the template's next date to `until` are due. */
export function catchUpWindow(
  template: Pick<RecurringTemplate, 'frequency' | 'intervalCount' | 'startDate' | 'nextRunDate'>,
  until: string,
): { firstKept: string; skipped: number; due: number } {
  const keep = RECURRING_CATCH_UP_RUNS;
  const next = template.nextRunDate;
  const stepDays =
    template.frequency === 'daily'
      ? template.intervalCount
      : template.frequency === 'weekly'
        ? 7 * template.intervalCount
        : null;
  if (stepDays !== null) {
    const due = next > until ? 0 : Math.floor(daysBetween(next, until) / stepDays) + 1;
    const skipped = Math.max(0, due - keep);
    return { firstKept: skipped > 0 ? addDays(next, skipped * stepDays) : next, skipped, due };
  }
  // Months differ in length: walk the schedule, keeping the last `keep` dates seen.
  const recent: string[] = [];
  let skipped = 0;
  for (let date = next; date <= until && !beyondLastDate(date); date = occurrenceAfter(template, date)) {
    recent.push(date);
    if (recent.length > keep) {
      recent.shift();
      skipped += 1;
    }
  }
  return { firstKept: recent[0] ?? next, skipped, due: skipped + recent.length };
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

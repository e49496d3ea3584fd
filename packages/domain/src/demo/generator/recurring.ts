import { recurringInvoiceRuns, recurringInvoiceTemplates } from '@hisaabo/db';
import { addDays, nextOccurrence } from '../../dates.ts';
import type { BulkWriter } from '../bulk-writer.ts';
import { type BusinessScope, type SeedContext, audit, stamp } from './context.ts';
import type { Party, PlannedLine, SeedItem } from './types.ts';

/** A monthly service contract, with the run dates it has had by the end of the history. */
export interface Template {
  id: string;
  partyId: string;
  lines: PlannedLine[];
  runs: string[];
  /** Index into `runs` of the next run to bill. */
  nextRun: number;
  dueInDays: number;
  startDate: string;
}

/** Monthly service contracts for a few customers, one service line each. */
export function generateTemplates(
  ctx: SeedContext,
  scope: BusinessScope,
  services: readonly SeedItem[],
  customers: readonly Party[],
): Template[] {
  const { rng, endDate } = ctx;
  const { businessId, created } = scope;
  const templateCount = Math.min(5, Math.max(1, Math.floor(scope.docCount / 200)));
  const templates: Template[] = [];
  for (let t = 0; t < templateCount; t++) {
    const service = services[t % services.length]!;
    const partyId = customers[t % customers.length]!.id;
    const tStart = addDays(endDate, -rng.int(60, 330));
    const lines: PlannedLine[] = [
      {
        itemId: service.id,
        variantId: null,
        description: service.name,
        hsn: service.hsn,
        unit: service.unit,
        quantity: '1.000',
        unitPrice: service.salePrice,
        discountPercent: '0.00',
        taxRate: service.taxRate,
        taxInclusive: false,
      },
    ];
    const runs: string[] = [];
    for (let d = tStart; d <= endDate; d = nextOccurrence(d, 'monthly', 1, tStart)) runs.push(d);
    const template: Template = {
      id: ctx.newId(),
      partyId,
      lines,
      runs,
      nextRun: 0,
      dueInDays: 15,
      startDate: tStart,
    };
    templates.push(template);
    ctx.rows.push(recurringInvoiceTemplates, {
      tenantId: ctx.tenantId,
      id: template.id,
      businessId,
      partyId,
      name: `${service.name} contract ${t + 1}`,
      docType: 'invoice',
      frequency: 'monthly',
      intervalCount: 1,
      startDate: tStart,
      nextRunDate: tStart,
      status: 'active',
      dueInDays: 15,
      lineItems: lines.map((l) => ({
        itemId: l.itemId,
        variantId: null,
        description: l.description,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        taxRate: l.taxRate,
        taxInclusive: false,
      })),
      notes: 'Monthly service contract',
      createdAt: created,
      updatedAt: created,
    });
    audit(ctx, businessId, 'recurring_invoice_template', template.id, created, { frequency: 'monthly' });
  }
  return templates;
}

/** The template whose next run falls on or before `date`, if any. */
export function dueTemplate(templates: readonly Template[], date: string): Template | undefined {
  return templates.find((t) => t.nextRun < t.runs.length && t.runs[t.nextRun]! <= date);
}

/** Records that `template` billed its next run as `invoiceId`. */
export function recordRun(ctx: SeedContext, template: Template, invoiceId: string): void {
  const runDate = template.runs[template.nextRun]!;
  ctx.rows.push(recurringInvoiceRuns, {
    tenantId: ctx.tenantId,
    id: ctx.newId(),
    templateId: template.id,
    runDate,
    invoiceId,
    status: 'succeeded',
    createdAt: stamp(ctx, runDate),
  });
  template.nextRun += 1;
}

/** Sets each template's schedule from the runs it had: the next run date and when it last ran. */
export async function saveSchedules(
  ctx: SeedContext,
  writer: BulkWriter,
  templates: readonly Template[],
): Promise<void> {
  for (const t of templates) {
    const lastRun = t.nextRun > 0 ? t.runs[t.nextRun - 1]! : null;
    const next =
      t.nextRun < t.runs.length
        ? t.runs[t.nextRun]!
        : nextOccurrence(t.runs[t.runs.length - 1] ?? t.startDate, 'monthly', 1, t.startDate);
    await writer.exec(
      `UPDATE recurring_invoice_templates SET next_run_date = $1, last_run_at = $2 WHERE tenant_id = $3 AND id = $4`,
      [next, lastRun ? `${lastRun} 06:00:00+00` : null, ctx.tenantId, t.id],
    );
  }
}
